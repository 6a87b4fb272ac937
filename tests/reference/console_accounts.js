// Drives the 账号 tab of kayou's admin console (/admin) in Debian's headless chromium
// (playwright-core, no browser download) the way the city admin would, at one viewport, and prints
// what the page showed as one JSON line, with the console errors, CSP violations and failed
// requests seen on the way. Driven by tests/integration/admin_accounts_test.cpp.
//
//   node console_accounts.js <port> <city admin token> desktop|phone <name>
//
// Logs in, opens 账号, tries an empty name and a district reviewer without a district (the page's
// Chinese errors), makes a district reviewer `name` for 武进区, reads the token shown once, checks
// it works (GET /admin/api/me from node, not the page), tries the same name again (the API's 409
// message), closes the token box, revokes the account (cancels the confirmation once with the
// keyboard, then confirms) and checks the token no longer works.
"use strict";
const { openConsole, runWithDeadline } = require("./console_page");

const [port, token, mode, name] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;
let step = "start";

async function me(bearer) {
  const response = await fetch(base + "/admin/api/me", { headers: { Authorization: "Bearer " + bearer } });
  return response.status;
}

async function main() {
  const session = await openConsole(mode);
  const { page, texts, noSideScroll } = session;
  try {
    const focused = () => page.evaluate(() => (document.activeElement && document.activeElement.id) || "");
    // KAYOU_SCREENSHOTS=<dir>: pictures of the steps, for a person to look at.
    const shot = async (name) => {
      if (process.env.KAYOU_SCREENSHOTS)
        await page.screenshot({ path: `${process.env.KAYOU_SCREENSHOTS}/accounts-${mode}-${name}.png`, fullPage: true });
    };
    const out = { mode };

    step = "login";
    await page.goto(base + "/admin");
    await page.fill("#token", token);
    await page.press("#token", "Enter");
    await page.waitForSelector("#app:not([hidden])");
    out.tabs = await texts("#tabs button:not([hidden])");

    step = "tab";
    await page.click('#tabs button[data-tab="accounts"]');
    await page.waitForSelector("#account-form");
    // The districts are asked for a district reviewer only.
    out.districts_shown_first = await page.isVisible("#account-districts");
    await page.selectOption("#account-role", "faq_editor");
    out.districts_hidden_for_editor = await page.isHidden("#account-districts");
    await noSideScroll();

    step = "bad-input";
    await page.click("#account-create");
    out.empty_error = await page.textContent("#account-form-error");
    await page.fill("#account-name", name);
    await page.selectOption("#account-role", "district_admin");
    out.district_choices = await texts("#account-districts label");
    await page.click("#account-create");
    out.district_error = await page.textContent("#account-form-error");

    step = "create";
    await page.getByLabel("武进区", { exact: true }).check();
    await page.click("#account-create");
    await page.waitForSelector("#account-token");
    out.token = await page.inputValue("#account-token");
    out.token_box = await page.textContent("#account-token-box");
    out.token_focus = await focused();
    out.me_before = await me(out.token);
    await shot("token");
    await noSideScroll();

    step = "same-name";
    await page.fill("#account-name", name);
    await page.selectOption("#account-role", "faq_editor");
    await page.click("#account-create");
    await page.waitForFunction(() => document.querySelector("#account-form-error").textContent !== "");
    out.same_name_error = await page.textContent("#account-form-error");
    out.token_still_shown = await page.isVisible("#account-token");

    step = "close-token";
    await page.click("#account-token-done");
    await page.waitForSelector("#account-token", { state: "detached" });
    out.page_has_token = (await page.content()).includes(out.token);
    out.cards = await texts("#account-list .card");

    step = "revoke";
    const card = page.locator("#account-list .card", { hasText: name });
    await card.locator("button[data-revoke]").click();
    await page.waitForSelector("#revoke-confirm");
    out.confirm = await page.textContent("#revoke-confirm");
    out.confirm_focus = await focused();
    await shot("confirm");
    await noSideScroll();
    await page.keyboard.press("Escape");
    await page.waitForSelector("#revoke-confirm", { state: "detached" });
    out.me_after_cancel = await me(out.token);
    await card.locator("button[data-revoke]").click();
    await page.click("#revoke-confirm-yes");
    await page.waitForFunction(() => {
      const s = document.querySelector("#accounts-status");
      return s && s.textContent !== "";
    });
    out.status = await page.textContent("#accounts-status");
    out.me_after = await me(out.token);
    out.active_after = await texts("#account-list .card");
    out.revoked_after = await texts("#account-revoked .card");

    out.error = await page.textContent("#error");
    out.page_text = (await page.textContent("nav")) + (await page.textContent("main"));
    await noSideScroll();
    Object.assign(out, await session.report());
    process.stdout.write(JSON.stringify(out) + "\n");
  } finally {
    await session.browser.close();
  }
}

runWithDeadline(main, () => step);

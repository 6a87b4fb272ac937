// Drives kayou's review console (/admin) in Debian's headless chromium (playwright-core, no
// browser download) the way a district reviewer or the city admin would, at one viewport, and
// prints what the page showed as one JSON line, with the console errors, CSP violations and
// failed requests seen on the way. Driven by tests/integration/review_api_test.cpp.
//
//   node console_review.js <port> <token> approve|reject|move|alerts desktop|phone [reason|district]
//
// approve: logs in, opens the first application of the queue, taps 通过 once.
// reject:  logs in with Enter, walks the queue with the keyboard (Tab to the cards, Enter opens),
//          tries an empty reason and a link (the page's Chinese errors), taps a preset reason,
//          then types `reason` over it, reads the SMS preview, opens the confirmation, cancels
//          once, confirms, and reads the application again.
// move:    opens the first application with Space, picks the district named `district`, reads
//          the confirmation, confirms, and reads the list the page returns to.
// alerts:  opens the 短信告警 tab, reads the failed SMS, opens the first one's application with
//          Enter.
"use strict";
const { openConsole, runWithDeadline } = require("./console_page");

const [port, token, action, mode, extra] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;
let step = "start";

function check(condition, what) {
  if (!condition) throw new Error(what);
}

async function main() {
  const session = await openConsole(mode);
  const { page, texts, noSideScroll } = session;
  try {
    const focused = () => page.evaluate(() => {
      const a = document.activeElement;
      if (!a || a === document.body) return "body";
      return (a.dataset && a.dataset.id ? "item:" + a.dataset.id : "") || a.id ||
        a.tagName.toLowerCase() + ":" + a.textContent.slice(0, 12);
    });
    const outline = () => page.evaluate(() => {
      const style = getComputedStyle(document.activeElement);
      return style.outlineStyle + " " + style.outlineWidth;
    });
    // KAYOU_SCREENSHOTS=<dir>: pictures of the steps, for a person to look at.
    const shot = async (name) => {
      if (process.env.KAYOU_SCREENSHOTS)
        await page.screenshot({ path: `${process.env.KAYOU_SCREENSHOTS}/${action}-${mode}-${name}.png`, fullPage: true });
    };
    const out = { mode, action };

    step = "login";
    await page.goto(base + "/admin");
    await page.fill("#token", token);
    if (action === "approve") await page.click("#login-button");
    else await page.press("#token", "Enter");
    await page.waitForSelector("#app:not([hidden])");
    const cards = page.locator("#view .app-card");
    if (action !== "alerts") await cards.first().waitFor({ timeout: 10000 });
    await page.waitForFunction(() => document.querySelector('#tabs button[data-tab="alerts"] .tab-count'));
    out.tabs = await texts("#tabs button:not([hidden])");
    out.districts = await texts("#district option");
    out.queue = await texts("#view .app-card");
    await noSideScroll();
    await shot("list");

    if (action === "approve") {
      step = "approve";
      await cards.first().click();
      await page.waitForSelector("#view dl");
      out.shown = await page.textContent("#view dl");
      await page.getByRole("button", { name: "通过", exact: true }).click();
      // One tap: no confirmation in between.
      await page.waitForFunction(() => document.querySelector("#view dl").textContent.includes("已通过"));
      out.after = await page.textContent("#view dl");
    } else if (action === "reject") {
      step = "keyboard";
      // From the district select, Tab reaches the cards in queue order; Shift+Tab goes back;
      // Enter opens the focused one and the focus moves to its title.
      await page.focus("#district");
      const order = [];
      for (let i = 0; i < 6 && order.filter((f) => f.startsWith("item:")).length < 2; i++) {
        await page.keyboard.press("Tab");
        order.push(await focused());
      }
      out.outline = await outline();
      await page.keyboard.press("Shift+Tab");
      const back = await focused();
      await page.keyboard.press("Enter");
      await page.waitForSelector("#view dl");
      out.focus = { order, back, after_open: await focused() };
      out.shown = await page.textContent("#view dl");
      out.tel = await page.getAttribute("#call-phone", "href");
      await noSideScroll();

      step = "bad-reasons";
      // Nothing typed: a Chinese error next to the box, nothing sent.
      await page.click("#reject-button");
      await page.waitForFunction(() => document.querySelector("#reject-error").textContent !== "");
      out.empty_error = await page.textContent("#reject-error");
      out.empty_focus = await focused();
      // A link: the API refuses it (a 400 with a Chinese message), shown next to the box.
      await page.fill("#reject-reason", "详见www.example.cn");
      await page.waitForFunction(() => document.querySelector("#reject-error").textContent.includes("网址"),
        null, { timeout: 5000 });
      out.link_error = await page.textContent("#reject-error");
      out.link_preview_hidden = await page.isHidden("#reject-preview-box");

      step = "typed-reason";
      // A preset first (it fills the box), then the reviewer's own words over it: those win.
      await page.getByRole("button", { name: "身份证号与姓名不符", exact: true }).click();
      check((await page.inputValue("#reject-reason")) === "身份证号与姓名不符", "a preset fills the box");
      await page.waitForFunction(() => document.querySelector("#reject-preview").textContent.includes("身份证号与姓名不符"));
      await page.fill("#reject-reason", extra);
      await page.waitForFunction((r) => document.querySelector("#reject-preview").textContent.includes(r) &&
        !document.querySelector("#reject-preview-box").hidden, extra, { timeout: 5000 });
      out.preview = await page.textContent("#reject-preview");
      out.error_after_fix = await page.textContent("#reject-error");

      step = "confirm";
      await page.click("#reject-button");
      await page.waitForSelector("#reject-confirm");
      out.confirm = await page.textContent("#reject-confirm");
      out.confirm_text = await page.textContent("#reject-confirm-text");
      out.confirm_focus = await focused();
      await noSideScroll();
      await shot("confirm");
      // 取消 closes it and sends nothing; the status is still 待审核.
      await page.click("#reject-confirm-no");
      await page.waitForSelector("#reject-confirm", { state: "detached" });
      out.after_cancel = await page.textContent("#view dl");
      await page.click("#reject-button");
      await page.waitForSelector("#reject-confirm-yes");
      await page.click("#reject-confirm-yes");
      await page.waitForFunction(() => document.querySelector("#view dl").textContent.includes("未通过"));
      out.after = await page.textContent("#view dl");
    } else if (action === "alerts") {
      step = "alerts";
      // The failed SMS, in the reviewers' words; Enter on one opens its application.
      await page.click('#tabs button[data-tab="alerts"]');
      const alerts = page.locator("#view .card[role='button']");
      await alerts.first().waitFor({ timeout: 10000 });
      out.alerts = await texts("#view .card");
      // By keyboard from the tab bar: the first card is a tab stop after the tabs.
      await page.focus('#tabs button[data-tab="alerts"]');
      out.walk = [];
      for (let i = 0; i < 10 && !(out.walk[out.walk.length - 1] || "").startsWith("item:"); i++) {
        await page.keyboard.press("Tab");
        out.walk.push(await focused());
      }
      out.outline = await outline();
      await page.keyboard.press("Enter");
      await page.waitForSelector("#view dl");
      out.shown = await page.textContent("#view dl");
      out.after_open = await focused();
    } else if (action === "move") {
      step = "move";
      await cards.first().focus();
      await page.keyboard.press(" ");
      await page.waitForSelector("#move-target");
      out.shown = await page.textContent("#view dl");
      out.targets = await texts("#move-target option");
      // Without a choice: a Chinese error, nothing moved.
      await page.click("#move-button");
      out.empty_error = await page.textContent("#move-error");
      await page.selectOption("#move-target", { label: extra });
      await page.click("#move-button");
      await page.waitForSelector("#move-confirm");
      out.confirm = await page.textContent("#move-confirm");
      await shot("confirm");
      out.confirm_focus = await focused();
      await noSideScroll();
      await page.click("#move-confirm-yes");
      await page.waitForSelector("#notice");
      out.notice = await page.textContent("#notice");
      out.after_queue = await texts("#view .app-card");
      out.tabs_after = await texts("#tabs button:not([hidden])");
    }
    out.error = await page.textContent("#error");
    // What the page says (the header shows the token's own name, e.g. "wujin-wang": not a leak).
    out.page_text = (await page.textContent("nav")) + (await page.textContent("main"));
    await noSideScroll();
    Object.assign(out, await session.report());
    process.stdout.write(JSON.stringify(out) + "\n");
  } finally {
    await session.browser.close();
  }
}

runWithDeadline(main, () => step);

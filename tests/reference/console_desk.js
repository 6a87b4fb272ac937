// Drives the desks' inbox in kayou's console (/admin, tabs 工单 and 答复时效) in Debian's headless
// chromium (playwright-core, no browser download) the way a desk lawyer or a district staff
// member would, at one viewport, and prints what the page showed as one JSON line with the
// console errors, CSP violations and failed requests seen on the way. Driven by
// tests/integration/desk_inbox_test.cpp.
//
//   node console_desk.js <port> <token> desktop|phone <ticket number> <answer>
//
// Logs in with Enter, waits for the ticket in the 工单 tab, reaches its card with Tab and opens
// it with Enter, reads the question, the recent turns and what the driver added after opening
// it, sends an empty answer (the page's
// Chinese error), types `answer` and sends it, reads the notice and the list it returns to,
// opens the ticket again and closes it through the confirmation (cancelled once), then reads the
// 答复时效 tab.
"use strict";
const { openConsole, runWithDeadline } = require("./console_page");

const [port, token, mode, number, answer] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;
let step = "start";

async function main() {
  const session = await openConsole(mode);
  const { page, texts, noSideScroll } = session;
  try {
    const focused = () => page.evaluate(() => {
      const a = document.activeElement;
      if (!a || a === document.body) return "body";
      return (a.dataset && a.dataset.number ? "ticket:" + a.dataset.number : "") || a.id ||
        a.tagName.toLowerCase();
    });
    const card = `#view .ticket-card[data-number="${number}"]`;
    const out = { mode };

    step = "login";
    await page.goto(base + "/admin");
    await page.fill("#token", token);
    await page.press("#token", "Enter");
    await page.waitForSelector("#app:not([hidden])");
    out.tabs = await texts("#tabs button:not([hidden])");
    step = "inbox";
    if (!(await page.$("#ticket-list"))) await page.click('#tabs button[data-tab="desk"]');
    await page.waitForSelector(card, { timeout: 10000 });
    out.card = await page.textContent(card);
    out.summary = await page.textContent("#ticket-summary");
    await noSideScroll();

    step = "keyboard";
    await page.focus("#ticket-state");
    const order = [];
    for (let i = 0; i < 30 && !order.includes("ticket:" + number); i++) {
      await page.keyboard.press("Tab");
      order.push(await focused());
    }
    out.reached = order.includes("ticket:" + number);
    await page.keyboard.press("Enter");
    await page.waitForSelector("#ticket-title");
    out.after_open = await focused();
    out.question = await page.textContent("#ticket-question");
    out.turns = await texts("#ticket-turns li");
    out.notes = await texts("#ticket-notes li");
    out.details = await page.textContent("#view dl");
    await noSideScroll();

    step = "answer";
    await page.click("#answer-send");
    await page.waitForFunction(() => document.querySelector("#answer-error").textContent !== "");
    out.empty_error = await page.textContent("#answer-error");
    await page.fill("#answer-text", answer);
    await page.click("#answer-send");
    await page.waitForSelector("#notice");
    out.notice = await page.textContent("#notice");
    out.back_focus = await focused();

    step = "close";
    await page.selectOption("#ticket-state", "answered");
    await page.waitForSelector(card);
    await page.click(card);
    await page.waitForSelector("#ticket-answer");
    out.answer_shown = await page.textContent("#ticket-answer");
    await page.click("#ticket-close");
    await page.waitForSelector("#close-confirm");
    out.confirm = await page.textContent("#close-confirm");
    out.confirm_focus = await focused();
    await page.click("#close-confirm-no");
    out.cancelled = (await page.$("#close-confirm")) === null;
    await page.click("#ticket-close");
    await page.click("#close-confirm-yes");
    await page.waitForSelector("#notice");
    out.closed_notice = await page.textContent("#notice");
    await noSideScroll();

    step = "stats";
    await page.click('#tabs button[data-tab="deskstats"]');
    await page.waitForSelector("#desk-stats");
    out.stats = await texts("#desk-stats tr");
    await noSideScroll();

    out.error = await page.textContent("#error");
    Object.assign(out, await session.report());
    process.stdout.write(JSON.stringify(out) + "\n");
  } finally {
    await session.browser.close();
  }
}

runWithDeadline(main, () => step);

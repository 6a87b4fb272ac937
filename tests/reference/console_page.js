// What the console page scripts (console_review.js, console_desk.js, console_accounts.js) share:
// Debian's headless chromium (playwright-core, no browser download) at one of the two viewports,
// what the page did wrong on the way (console errors, CSP violations, requests answered >= 400,
// sideways scrolling), and the one JSON line every script ends with, within a deadline.
"use strict";
const { chromium } = require("playwright-core");

// Opens a page at the phone (390x844) or desktop (1366x768) viewport, watching it from the start.
async function openConsole(mode) {
  const phone = mode === "phone";
  const viewport = phone ? { width: 390, height: 844 } : { width: 1366, height: 768 };
  const browser = await chromium.launch({
    executablePath: process.env.KAYOU_CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const context = await browser.newContext({ viewport, isMobile: phone, hasTouch: phone,
    deviceScaleFactor: phone ? 2 : 1, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  // Runs before the page's own scripts (through the DevTools protocol, so the CSP does not apply
  // to it): violations are collected where the script can read them.
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "")));
  });
  const page = await context.newPage();
  const problems = [];
  const refused = [];  // requests answered >= 400: [status, path]
  page.on("console", (m) => {
    // Chromium logs every HTTP error answer as a console error; those are checked as responses
    // (`refused`), where the test knows which ones it provoked.
    if (m.text().includes("the server responded with a status of")) return;
    if (m.type() === "error" || m.type() === "warning") problems.push(m.type() + ": " + m.text());
  });
  page.on("pageerror", (e) => problems.push("pageerror: " + e.message));
  page.on("response", (r) => {
    if (r.status() >= 400) refused.push([r.status(), new URL(r.url()).pathname]);
  });
  let overflow = 0;
  return {
    browser,
    page,
    refused,
    texts: (selector) => page.$$eval(selector, (nodes) => nodes.map((n) => n.textContent)),
    // How far the page scrolls sideways at this moment; the widest is reported.
    noSideScroll: async () => {
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      overflow = Math.max(overflow, wide);
    },
    // What went wrong on the way, for the JSON line.
    report: async () => ({
      overflow,
      csp: await page.evaluate(() => window.__csp.slice()),
      console: problems,
      refused,
    }),
  };
}

// Runs `main` within KAYOU_BROWSER_DEADLINE_MS (90 s); a failure or the deadline prints
// {"failure", "step"} instead of the script's own line, and exits 1.
function runWithDeadline(main, currentStep) {
  const fail = (failure) => {
    process.stdout.write(JSON.stringify({ failure, step: currentStep() }) + "\n");
    process.exit(1);
  };
  const timer = setTimeout(() => fail("deadline passed"),
    Number(process.env.KAYOU_BROWSER_DEADLINE_MS || 90000));
  main().then(() => {
    clearTimeout(timer);
    process.exit(0);
  }, (e) => fail(e.message));
}

module.exports = { openConsole, runWithDeadline };

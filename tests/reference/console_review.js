// Drives kayou's review console (/admin) in Debian's headless chromium (playwright-core, no
// browser download) the way a reviewer would: logs in with a token, opens the first application
// of the queue, taps 通过 (or rejects with a preset reason), and prints what the page showed as one
// JSON line, with the console errors and CSP violations seen on the way.
//   node console_review.js <port> <token> approve|reject
"use strict";
const { chromium } = require("playwright-core");

const [port, token, action] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.KAYOU_CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true,
      hasTouch: true, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    await context.addInitScript(() => {
      window.__csp = [];
      document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective));
    });
    const page = await context.newPage();
    const problems = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    const texts = (selector) => page.$$eval(selector, (nodes) => nodes.map((n) => n.textContent));

    await page.goto(base + "/admin");
    await page.fill("#token", token);
    await page.click("#login-button");
    await page.waitForSelector("#app:not([hidden])");
    const cards = page.locator("#view .card");
    await cards.first().waitFor({ timeout: 10000 });
    const districts = await texts("#district option");
    const queue = await texts("#view .card");
    await cards.first().click();
    await page.waitForSelector("#view dl");
    const shown = await page.textContent("#view dl");
    await page.getByRole("button", { name: action === "reject" ? "不通过" : "通过", exact: true }).click();
    const wanted = action === "reject" ? "未通过" : "已通过";
    await page.waitForFunction((w) => document.querySelector("#view dl").textContent.includes(w), wanted);
    const after = await page.textContent("#view dl");
    const error = await page.textContent("#error");
    const csp = await page.evaluate(() => window.__csp);
    process.stdout.write(JSON.stringify({ districts, queue, shown, after, error, console: problems, csp }) + "\n");
  } finally {
    await browser.close();
  }
}

const timer = setTimeout(() => {
  process.stdout.write(JSON.stringify({ failure: "deadline passed" }) + "\n");
  process.exit(1);
}, 60000);
main().then(() => {
  clearTimeout(timer);
}, (e) => {
  process.stdout.write(JSON.stringify({ failure: e.message }) + "\n");
  process.exit(1);
});

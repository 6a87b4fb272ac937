// Drives kayou's web join page (/join?t=...) in Debian's headless chromium (playwright-core, no
// browser download) the way a driver's phone would, at 390x844: types each mobile number in turn
// and taps 获取验证码, waiting for the page's answer each time (when kayou asks for a proof of
// work, the page's own script solves it and asks again).
// Prints one JSON line: {"messages": [what #msg showed after each tap], "challenged": n (428
// answers seen), "console": [errors], "csp": [violated directives]}.
//   node join_page.js <port> <token> <mobile> [<mobile> ...]
"use strict";
const { chromium } = require("playwright-core");

const [port, token, ...mobiles] = process.argv.slice(2);
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
    let challenged = 0;
    page.on("console", (m) => {
      // A 428 is the page's expected challenge, which chromium also reports as a failed load.
      if (m.type() === "error" && !m.text().includes("428")) problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("response", (r) => {
      if (r.status() === 428) challenged++;
    });
    await page.goto(base + "/join?t=" + encodeURIComponent(token));
    await page.waitForSelector("#send");
    const messages = [];
    for (const mobile of mobiles) {
      await page.evaluate(() => { document.getElementById("msg").textContent = ""; });
      await page.fill("input[name=mobile]", mobile);
      await page.tap("#send");
      // Settled: a message that is not the "please wait" one of a challenge being solved.
      const handle = await page.waitForFunction(() => {
        const text = document.getElementById("msg").textContent;
        return text && !text.includes("安全验证") ? text : null;
      }, null, { timeout: 20000 });
      messages.push(await handle.jsonValue());
    }
    const csp = await page.evaluate(() => window.__csp);
    process.stdout.write(JSON.stringify({ messages, challenged, console: problems, csp }) + "\n");
  } finally {
    await browser.close();
  }
}

const timer = setTimeout(() => {
  process.stdout.write(JSON.stringify({ failure: "deadline passed" }) + "\n");
  process.exit(1);
}, 60000);
main().then(() => clearTimeout(timer)).catch((e) => {
  clearTimeout(timer);
  process.stdout.write(JSON.stringify({ failure: e.message }) + "\n");
  process.exit(1);
});

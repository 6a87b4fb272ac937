// Drives kayou's web join page (/join?t=...) in Debian's headless chromium the way a driver's
// phone would, at 390x844 (console_page.js): types each mobile number in turn and taps
// 获取验证码, waiting for the page's answer each time (when kayou asks for a proof of work, the
// page's own script solves it and asks again).
// Prints one JSON line: {"messages": [what #msg showed after each tap], "challenged": n (428
// answers seen), "console": [errors], "csp": [violated directives]}.
//   node join_page.js <port> <token> <mobile> [<mobile> ...]
"use strict";
const { openConsole, runWithDeadline } = require("./console_page");

const [port, token, ...mobiles] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;
let step = "start";

async function main() {
  const session = await openConsole("phone");
  const { page } = session;
  try {
    step = "page";
    await page.goto(base + "/join?t=" + encodeURIComponent(token));
    await page.waitForSelector("#send");
    const messages = [];
    for (const mobile of mobiles) {
      step = "code for " + mobile;
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
    const seen = await session.report();
    // A 428 is the page's expected challenge; any other refusal is a problem of the page.
    const challenged = seen.refused.filter(([status]) => status === 428).length;
    const problems = seen.refused.filter(([status]) => status !== 428)
      .map(([status, path]) => status + " " + path);
    process.stdout.write(JSON.stringify({ messages, challenged,
      console: seen.console.concat(problems), csp: seen.csp }) + "\n");
  } finally {
    await session.browser.close();
  }
}

runWithDeadline(main, () => step);

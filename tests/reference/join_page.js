// Drives kayou's web join page (/join?t=...) the way a driver's phone browser would, in jsdom:
// types each mobile number in turn and taps 获取验证码, waiting for the page's answer each time
// (when kayou asks for a proof of work, the page's own script solves it and asks again).
// Prints one JSON line: {"messages": [what #msg showed after each tap], "challenged": n}.
//   node join_page.js <port> <token> <mobile> [<mobile> ...]
// jsdom has no fetch: the page gets Node's, resolved against kayou's URL; the number of 428
// answers (challenges) is counted on the way.
"use strict";
const { JSDOM } = require("jsdom");

const [port, token, ...mobiles] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;
let challenged = 0;

function until(predicate, what, ms = 20000) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      let value;
      try {
        value = predicate();
      } catch (e) {
        value = undefined;
      }
      if (value) return resolve(value);
      if (Date.now() - started > ms) return reject(new Error("timed out waiting for " + what));
      setTimeout(tick, 20);
    };
    tick();
  });
}

async function main() {
  const dom = await JSDOM.fromURL(base + "/join?t=" + encodeURIComponent(token), {
    runScripts: "dangerously",
    pretendToBeVisual: true,
    beforeParse(window) {
      window.fetch = async (url, options) => {
        const response = await fetch(new URL(url, base), options);
        if (response.status === 428) challenged++;
        return response;
      };
    },
  });
  const { document } = dom.window;
  await until(() => document.getElementById("send"), "the page");
  const messages = [];
  for (const mobile of mobiles) {
    const msg = document.getElementById("msg");
    msg.textContent = "";
    document.querySelector("input[name=mobile]").value = mobile;
    document.getElementById("send").click();
    // Settled: a message that is not the "please wait" one of a challenge being solved.
    const shown = await until(() => {
      const text = msg.textContent;
      return text && !text.includes("安全验证") ? text : null;
    }, "an answer for " + mobile);
    messages.push(shown);
  }
  process.stdout.write(JSON.stringify({ messages, challenged }) + "\n");
  dom.window.close();
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ failure: e.message }) + "\n");
  process.exit(1);
});

// Drives kayou's review console (/admin) the way a reviewer's browser would, in jsdom: loads the
// page and its script from kayou, logs in with a token, opens the first application of the queue,
// taps 通过 (or rejects with a preset reason), and prints what the page showed as one JSON line.
//   node console.js <port> <token> approve|reject
// jsdom has no fetch: the page gets Node's, resolved against kayou's URL.
"use strict";
const { JSDOM } = require("jsdom");

const [port, token, action] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;

function until(predicate, what, ms = 5000) {
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
  const dom = await JSDOM.fromURL(base + "/admin", {
    runScripts: "dangerously",
    resources: "usable",
    pretendToBeVisual: true,
    beforeParse(window) {
      window.fetch = (url, options) => fetch(new URL(url, base), options);
    },
  });
  const { document } = dom.window;
  const text = (selector) => [...document.querySelectorAll(selector)].map((n) => n.textContent);
  await until(() => document.readyState === "complete" && dom.window.eval("typeof render") === "function",
    "the console script");

  document.getElementById("token").value = token;
  document.getElementById("login-button").click();
  await until(() => !document.getElementById("app").hidden, "login");
  const districts = text("#district option");
  const cards = await until(() => {
    const found = document.querySelectorAll("#view .card");
    return found.length ? found : null;
  }, "the queue");
  const queue = [...cards].map((c) => c.textContent);
  cards[0].click();
  const detail = await until(() => document.querySelector("#view dl"), "the application");
  const shown = detail.textContent;
  const buttons = [...document.querySelectorAll("#view button")];
  if (action === "reject") {
    buttons.find((b) => b.textContent === "不通过").click();
  } else {
    buttons.find((b) => b.textContent === "通过").click();
  }
  const wanted = action === "reject" ? "未通过" : "已通过";
  await until(() => document.querySelector("#view dl").textContent.includes(wanted), "the decision");
  const after = document.querySelector("#view dl").textContent;
  process.stdout.write(JSON.stringify({
    districts, queue, shown, after, error: document.getElementById("error").textContent,
  }) + "\n");
  dom.window.close();
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ failure: e.message }) + "\n");
  process.exit(1);
});

// The admin console (docs/admin-api.md): a thin page over /admin/api/*. This file is the shell
// (login, the tabs of the caller's role) and the review tabs over /admin/api/review/*; the content
// tabs (内容, 漏答) are in console_content.js. Everything shown comes from the API and is put into
// the page with textContent, never as HTML, so a name or a reason cannot inject markup. The token
// lives in sessionStorage only.
"use strict";

const api = "/admin/api/review/";
const reasons = ["身份证号与姓名不符", "证件信息不完整", "非货车司机", "重复申请", "不在本区县"];
const stateNames = {
  queued: "排队中", sending: "发送中", retry: "重试中", unknown: "待回执", sent: "已发送",
  delivered: "已送达", failed: "发送失败", suppressed: "未发送（退订）",
};
const statusNames = { received: "待审核", approved: "已通过", rejected: "未通过" };
let districts = [];
let tab = "queue";
let me = null;  // {name, role, districts} of the token
const reviewRoles = ["city_admin", "district_admin"];

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "onclick") node.addEventListener("click", value);
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = !message;
}

// A path starting with "/" is absolute; others are under the review API. A failed request
// throws an Error with the answer's status and JSON (`data`), e.g. a 422's line messages.
async function call(method, path, body) {
  const response = await fetch(path.startsWith("/") ? path : api + path, {
    method,
    headers: { Authorization: "Bearer " + sessionStorage.getItem("kayou-token") },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (response.status === 401) {
    logout();
    throw new Error("令牌无效，请重新输入");
  }
  if (!response.ok) {
    const error = new Error(data.error || "请求失败（" + response.status + "）");
    error.status = response.status;
    error.data = data;
    throw error;
  }
  return data;
}

function timeLeft(seconds) {
  const late = seconds < 0;
  let rest = Math.abs(seconds);
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const text = (hours ? hours + "小时" : "") + Math.floor(rest / 60) + "分";
  return el("span", { class: late ? "late" : "" }, late ? "已超时 " + text : "剩余 " + text);
}

function applicationCard(a, onOpen) {
  return el("div", { class: "card", onclick: onOpen },
    el("div", { class: "row" },
      el("strong", {}, a.name, " ", el("span", { class: "muted" }, a.mobile)),
      a.status === "received" ? timeLeft(a.seconds_left) : el("span", {}, statusNames[a.status])),
    el("div", { class: "muted" }, a.id, " · ", a.employer || "无单位（周转池）",
      a.reminded ? el("span", { class: "tag" }, "已提醒") : null,
      a.escalated ? el("span", { class: "tag late" }, "已督办") : null,
      a.transferred_to ? el("span", { class: "tag" }, "已接转：" + a.transferred_to) : null),
    el("div", { class: "muted" }, "办结时限 ", a.deadline_text));
}

async function showList(kind) {
  const district = $("district").value;
  const data = await call("GET", kind + "?district=" + encodeURIComponent(district) + "&limit=200");
  const view = $("view");
  view.replaceChildren(el("p", { class: "muted" },
    (kind === "queue" ? "待审核 " : "周转池 ") + data.total + " 件（按" +
    (kind === "queue" ? "办结时限" : "提交时间") + "排序）"));
  if (data.deadline_rule) view.append(el("p", { class: "muted" }, data.deadline_rule));
  for (const a of data.applications) view.append(applicationCard(a, () => showApplication(a.id)));
}

async function act(id, action, body) {
  try {
    showError("");
    await call("POST", "applications/" + id + "/" + action, body);
    await showApplication(id);
    await loadDistricts();
  } catch (e) {
    showError(e.message);
  }
}

async function showApplication(id) {
  const a = await call("GET", "applications/" + id);
  const fields = [
    ["申请编号", a.id], ["状态", statusNames[a.status] || a.status], ["姓名", a.name],
    ["身份证号", a.id_card], ["手机号", a.mobile], ["车牌", a.plate], ["职业", a.occupation],
    ["工作单位", a.employer || "无（周转池）"], ["区县", a.district], ["办结时限", a.deadline_text],
    ["原因", a.reason], ["审核人", a.decided_by], ["转自", a.moved_from], ["接转至", a.transferred_to],
    ["短信", a.sms ? (stateNames[a.sms.state] || a.sms.state) + (a.sms.reason ? "：" + a.sms.reason : "") : ""],
  ];
  const list = el("dl");
  for (const [name, value] of fields) if (value) list.append(el("dt", {}, name), el("dd", {}, value));
  const card = el("div", { class: "card" }, list);
  const actions = el("div", { class: "actions" });
  if (a.status === "received") {
    actions.append(el("button", { class: "primary", onclick: () => act(id, "approve") }, "通过"));
    const reason = el("select", {}, ...reasons.map((r) => el("option", {}, r)),
      el("option", { value: "" }, "其他（填写）"));
    const other = el("input", { placeholder: "不通过原因（30字以内，会发短信给司机）", maxlength: "30" });
    actions.append(el("div", { style: "width:100%" }, reason, other),
      el("button", { class: "danger", onclick: () => act(id, "reject", { reason: reason.value || other.value }) },
        "不通过"));
    const target = el("select", {}, ...districts.filter((d) => d.id !== a.district)
      .map((d) => el("option", { value: d.id }, d.name)));
    if (target.options.length)
      actions.append(el("div", { style: "width:100%" }, "转到其他区县", target),
        el("button", { onclick: () => act(id, "move", { district: target.value }) }, "转区县"));
  } else if (a.status === "approved" && a.turnover_pool && !a.transferred_to) {
    const union = el("input", { placeholder: "接收的基层工会名称" });
    actions.append(el("div", { style: "width:100%" }, union),
      el("button", { class: "primary", onclick: () => act(id, "transfer", { union: union.value }) },
        "会籍接转"));
  }
  card.append(actions);
  $("view").replaceChildren(el("button", { onclick: () => render() }, "← 返回"), card);
}

function isoDate(date) {
  return new Date(date.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);  // Beijing
}

async function showStats() {
  const from = el("input", { type: "date", value: isoDate(new Date(Date.now() - 29 * 86400000)) });
  const to = el("input", { type: "date", value: isoDate(new Date()) });
  const table = el("table");
  const banner = el("div");
  const load = async () => {
    const data = await call("GET", "stats?from=" + from.value + "&to=" + to.value);
    banner.replaceChildren(...alertLines(data.alerts));
    const head = ["区县", "收到", "通过", "不通过", "待审", "超时", "逾期办结", "按时率"];
    table.replaceChildren(el("tr", {}, ...head.map((h) => el("th", {}, h))));
    for (const s of data.districts)
      table.append(el("tr", {}, el("td", {}, s.name), el("td", {}, s.received),
        el("td", {}, s.approved), el("td", {}, s.rejected), el("td", {}, s.pending),
        el("td", { class: s.overdue ? "late" : "" }, s.overdue), el("td", {}, s.decided_late),
        el("td", {}, s.on_time_rate === null ? "—" : (s.on_time_rate * 100).toFixed(1) + "%")));
  };
  from.addEventListener("change", () => load().catch((e) => showError(e.message)));
  to.addEventListener("change", () => load().catch((e) => showError(e.message)));
  $("view").replaceChildren(banner,
    el("div", { class: "row" }, el("label", {}, "从", from), el("label", {}, "到", to)), table);
  await load();
}

// Operational alerts that come with the stats (docs/sms.md): the verification-code budget and
// Redis memory.
function alertLines(alerts) {
  const lines = [];
  const budget = alerts && alerts.sms_code_budget;
  if (budget && budget.level !== "none")
    lines.push(el("p", { class: "late" }, "验证码短信：本小时已发 " + budget.hour_used + "/" +
      budget.hour_budget + " 条，今天 " + budget.day_used + "/" + budget.day_budget + " 条 — " +
      (budget.level === "exhausted" ? "预算已用完，新的验证码暂停发送" : "已达告警线")));
  const memory = alerts && alerts.redis_memory;
  if (memory && memory.alert)
    lines.push(el("p", { class: "late" }, "Redis 内存：已用 " +
      (memory.used_bytes / 1048576).toFixed(1) + " MB / " +
      (memory.maxmemory_bytes / 1048576).toFixed(0) + " MB（" + memory.alert + "）"));
  return lines;
}

async function showAlerts() {
  const data = await call("GET", "sms-alerts");
  const view = $("view");
  view.replaceChildren(el("p", { class: "muted" }, "发送失败的短信：请电话联系司机。"));
  for (const alert of data.alerts) {
    const a = alert.application;
    view.append(el("div", { class: "card", onclick: a ? () => showApplication(a.id) : null },
      el("div", { class: "row" }, el("strong", {}, alert.template),
        el("span", { class: "muted" }, new Date(alert.at_ms).toLocaleString("zh-CN"))),
      el("div", {}, alert.reason),
      a ? el("div", { class: "muted" }, a.id, " · ", a.mobile, " · ", a.district) : null));
  }
}

async function loadDistricts() {
  const data = await call("GET", "districts");
  districts = data.districts;
  const select = $("district");
  const current = select.value;
  select.replaceChildren(...districts.map((d) => el("option", { value: d.id },
    d.name + "（待审 " + d.pending + (d.overdue ? "，超时 " + d.overdue : "") + "）")));
  if (current) select.value = current;
}

async function render() {
  showError("");
  $("district-label").hidden = tab !== "queue" && tab !== "pool";
  const content = tab === "content" || tab === "missed";
  document.querySelector("main").classList.toggle("wide", content);
  try {
    if (content) await window.kayouContent.render(tab, $("view"));
    else if (tab === "queue" || tab === "pool") await showList(tab);
    else if (tab === "stats") await showStats();
    else await showAlerts();
  } catch (e) {
    showError(e.message);
  }
}

function selectTab(name) {
  tab = name;
  for (const button of document.querySelectorAll("#tabs button")) {
    const active = button.dataset.tab === name;
    button.classList.toggle("active", active);
    if (active) button.setAttribute("aria-current", "page");
    else button.removeAttribute("aria-current");
  }
}

async function start() {
  try {
    me = await call("GET", "/admin/api/me");
    if (reviewRoles.includes(me.role)) await loadDistricts();
  } catch (e) {
    showError(e.message);
    return;
  }
  $("who").textContent = me.name;
  let first = null;
  for (const button of document.querySelectorAll("#tabs button")) {
    button.hidden = !button.dataset.roles.split(" ").includes(me.role);
    if (!button.hidden && !first) first = button.dataset.tab;
  }
  $("login").hidden = true;
  $("app").hidden = false;
  $("tabs").hidden = false;
  $("logout").hidden = false;
  if (!first) {
    showError("这个令牌没有可用的功能，请联系市总工会。");
    return;
  }
  const visible = document.querySelector('#tabs button[data-tab="' + tab + '"]');
  selectTab(visible && !visible.hidden ? tab : first);
  await render();
}

function logout() {
  sessionStorage.removeItem("kayou-token");
  $("who").textContent = "";
  if (window.kayouContent) window.kayouContent.stop();
  $("login").hidden = false;
  $("app").hidden = true;
  $("tabs").hidden = true;
  $("logout").hidden = true;
}

function login() {
  sessionStorage.setItem("kayou-token", $("token").value.trim());
  $("token").value = "";
  start();
}
$("login-button").addEventListener("click", login);
$("token").addEventListener("keydown", (event) => {
  if (event.key === "Enter") login();
});
$("logout").addEventListener("click", logout);
$("district").addEventListener("change", render);
for (const button of document.querySelectorAll("#tabs button"))
  button.addEventListener("click", () => {
    if (window.kayouContent) window.kayouContent.stop();
    selectTab(button.dataset.tab);
    render();
  });
// console_content.js (loaded after this file) starts the page once it is defined.
window.kayouStart = () => {
  if (sessionStorage.getItem("kayou-token")) start();
};

// The admin console (docs/admin-api.md): a thin page over /admin/api/*. This file is the shell
// (login, the tabs of the caller's role), the review tabs over /admin/api/review/* and the desks'
// inbox (工单, 答复时效) over /admin/api/tickets; the content tabs (内容, 漏答) are in
// console_content.js, the 账号 tab in console_accounts.js. Everything shown comes from the API and is put into
// the page with textContent, never as HTML, so a name or a reason cannot inject markup. The token
// lives in sessionStorage only.
"use strict";

const api = "/admin/api/review/";
// Preset reasons fill the reason box; what is in the box when the reviewer confirms is what the
// driver reads (the box wins, always).
const reasons = ["身份证号与姓名不符", "证件信息不完整", "非货车司机", "重复申请", "不在本区县"];
const maxReasonChars = 30;  // the rejection SMS template's {2} (config/sms-templates.yaml)
const stateNames = {
  queued: "排队中", sending: "发送中", retry: "重试中", unknown: "待回执", sent: "已发送",
  delivered: "已送达", failed: "发送失败", suppressed: "未发送（退订）",
};
const statusNames = { received: "待审核", approved: "已通过", rejected: "未通过" };
const templateNames = {
  approval: "通过通知", rejection: "不通过通知", verification_code: "验证码", reminder: "审核提醒",
  escalation: "督办通知", legal_answer_ready: "法律答复通知", progress: "进度查询答复",
  progress_none: "进度查询答复", reply_help: "回复说明",
};
// Why an SMS failed (notify/), in the reviewers' words; a provider's own code is shown as a code.
const smsReasons = {
  connect: "连不上短信服务商", timeout: "短信服务商没有及时应答", no_status: "短信服务商没有给出结果",
  retries_exhausted: "多次重试仍未发出", undelivered: "运营商未能送达（可能停机或拒收）",
  unknown_outcome_unresolved: "无法确认是否发出", template_error: "短信内容不符合模板",
  template_not_approved: "短信模板尚未审批",
};
const statusMessages = {
  400: "填写的内容有误", 403: "无权进行这个操作", 404: "找不到要处理的内容",
  409: "状态已经变了，请刷新后再看", 429: "操作太频繁，请稍后再试", 503: "服务暂时不可用，请稍后再试",
};
let districts = [];     // the caller's districts, with counts
let allDistricts = [];  // every district: where an application may be moved
let alertCount = null;
let tab = "queue";
let me = null;  // {name, role, districts} of the token
let notice = "";  // shown above the list once (e.g. after a move)
let returnTo = null;  // the card to focus when going back to the list
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

function districtName(id) {
  const found = allDistricts.find((d) => d.id === id) || districts.find((d) => d.id === id);
  return found ? found.name : "未知区县";
}

function smsReason(code) {
  if (!code) return "";
  if (smsReasons[code]) return smsReasons[code];
  if (/SensitiveWord|CONTENT_KEYWORD/i.test(code)) return "短信内容含敏感词，被服务商拒发";
  if (/PhoneNumber|MOBILE_NUMBER/i.test(code)) return "手机号无效或无法接收短信";
  if (/LimitExceeded|BUSINESS_LIMIT/i.test(code)) return "发送太频繁，被服务商限制";
  if (code.startsWith("http_")) return "短信服务商拒绝（状态码 " + code.slice(5) + "）";
  return "短信服务商返回错误（代码 " + code + "）";
}

// A failed request's message for the page: the API's own Chinese `message`, else one by status
// (never the API's English `error`).
function failureMessage(status, data) {
  if (data && typeof data.message === "string" && data.message) return data.message;
  return (statusMessages[status] || "请求失败") + "（" + status + "）";
}

// A path starting with "/" is absolute; others are under the review API. A failed request
// throws an Error with the answer's status and JSON (`data`), e.g. a 422's line messages.
async function call(method, path, body) {
  let response;
  try {
    response = await fetch(path.startsWith("/") ? path : api + path, {
      method,
      headers: { Authorization: "Bearer " + sessionStorage.getItem("kayou-token") },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new Error("网络连接失败，请检查网络后再试");
  }
  const data = await response.json().catch(() => ({}));
  if (response.status === 401) {
    logout();
    throw new Error("令牌无效，请重新输入");
  }
  if (!response.ok) {
    const error = new Error(failureMessage(response.status, data));
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

// Something that opens on a tap also opens from the keyboard: focusable, Enter or Space.
function actionable(node, label, action) {
  node.setAttribute("tabindex", "0");
  node.setAttribute("role", "button");
  node.setAttribute("aria-label", label);
  node.addEventListener("click", action);
  node.addEventListener("keydown", (event) => {
    if (event.target !== node) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      action();
    }
  });
  return node;
}

function applicationCard(a, onOpen) {
  const card = el("div", { class: "card app-card", "data-id": a.id },
    el("div", { class: "row" },
      el("strong", {}, a.name, " ", el("span", { class: "muted" }, a.mobile)),
      a.status === "received" ? timeLeft(a.seconds_left) : el("span", {}, statusNames[a.status] || "")),
    el("div", { class: "muted" }, "申请编号 ", a.id, " · ", a.employer || "无单位（周转池）",
      a.moved_from ? el("span", { class: "tag" }, "由" + (a.moved_from_name || districtName(a.moved_from)) + "转来") : null,
      a.reminded ? el("span", { class: "tag" }, "已提醒") : null,
      a.escalated ? el("span", { class: "tag late" }, "已督办") : null,
      a.transferred_to ? el("span", { class: "tag" }, "已接转：" + a.transferred_to) : null),
    el("div", { class: "muted" }, "办结时限 ", a.deadline_text));
  return actionable(card, "打开申请 " + a.id + "（" + a.name + "）", onOpen);
}

function setTabCount(name, count) {
  const button = document.querySelector('#tabs button[data-tab="' + name + '"]');
  if (!button) return;
  let badge = button.querySelector(".tab-count");
  if (count === null || count === undefined) {
    if (badge) badge.remove();
    return;
  }
  if (!badge) {
    badge = el("span", { class: "tab-count" });
    button.append(badge);
  }
  badge.textContent = " " + count;
}

function updateCounts() {
  const current = districts.find((d) => d.id === $("district").value) || districts[0];
  setTabCount("queue", current ? current.pending : null);
  setTabCount("pool", current ? current.pool : null);
  setTabCount("alerts", alertCount);
}

async function showList(kind) {
  const district = $("district").value;
  const data = await call("GET", kind + "?district=" + encodeURIComponent(district) + "&limit=200");
  const view = $("view");
  view.replaceChildren();
  if (notice) view.append(el("p", { class: "status ok", role: "status", id: "notice" }, notice));
  notice = "";
  view.append(el("p", { class: "muted", id: "list-summary" },
    districtName(district) + (kind === "queue" ? " 待审核 " : " 周转池 ") + data.total + " 件（按" +
    (kind === "queue" ? "办结时限" : "提交时间") + "排序）"));
  if (data.deadline_rule) view.append(el("p", { class: "muted" }, data.deadline_rule));
  if (!data.applications.length)
    view.append(el("p", { class: "muted" }, kind === "queue" ? "没有待审核的申请。" : "周转池里没有申请。"));
  for (const a of data.applications) view.append(applicationCard(a, () => openApplication(a.id)));
  // Back from an application: the keyboard is where it was, on its card.
  const card = returnTo && [...view.querySelectorAll(".app-card")].find((c) => c.dataset.id === returnTo);
  returnTo = null;
  if (card) card.focus();
}

async function openApplication(id) {
  try {
    showError("");
    await showApplication(id);
  } catch (e) {
    showError(e.message);
  }
}

async function refreshCounts() {
  try {
    await loadDistricts();
  } catch (e) {
    // the action itself succeeded; the counts catch up on the next load
  }
}

async function act(id, action, body) {
  try {
    showError("");
    await call("POST", "applications/" + id + "/" + action, body);
    await showApplication(id);
    await refreshCounts();
  } catch (e) {
    showError(e.message);
  }
}

// A confirmation inside the page (no window.confirm: it cannot be styled, read aloud in context,
// or tested): the question, what will happen, and the two buttons. The confirm button gets focus.
function confirmPanel(id, lines, yes, onYes, onNo) {
  const yesButton = el("button", { class: "danger", id: id + "-yes" }, yes);
  const noButton = el("button", { id: id + "-no" }, "取消");
  const panel = el("div", { class: "confirm", id, role: "alertdialog", "aria-labelledby": id + "-title" },
    el("p", { id: id + "-title" }, el("strong", {}, lines[0])), ...lines.slice(1),
    el("div", { class: "actions" }, yesButton, noButton));
  yesButton.addEventListener("click", async () => {
    yesButton.disabled = true;
    noButton.disabled = true;
    try {
      await onYes();
    } finally {
      yesButton.disabled = false;
      noButton.disabled = false;
    }
  });
  noButton.addEventListener("click", onNo);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") onNo();
  });
  return panel;
}

function rejectSection(a) {
  const box = el("textarea", { id: "reject-reason", rows: "2", "aria-describedby": "reject-help reject-error",
    placeholder: "写明原因，或点上面的常用原因再修改" });
  const counter = el("span", { class: "muted", id: "reject-count" }, "0/" + maxReasonChars);
  const error = el("p", { class: "field-error", id: "reject-error", role: "alert" });
  const preview = el("p", { class: "reply", id: "reject-preview" });
  const previewLine = el("div", { id: "reject-preview-box", hidden: "" },
    el("div", { class: "muted" }, "司机将收到的短信："), preview);
  const rejectButton = el("button", { class: "danger", id: "reject-button" }, "不通过…");
  const confirmSlot = el("div");
  let serial = 0;
  let timer = null;

  const problemOf = (reason) => {
    if (!reason) return "请填写不通过的原因（会发短信告诉司机）";
    if ([...reason].length > maxReasonChars) return "原因最多" + maxReasonChars + "个字（会放进短信里）";
    return "";
  };
  const setProblem = (message) => {
    error.textContent = message;
    if (message) box.setAttribute("aria-invalid", "true");
    else box.removeAttribute("aria-invalid");
  };
  // The exact SMS from the API (the sender's own template); null with the problem shown when the
  // reason cannot be sent.
  const render = async () => {
    const reason = box.value.trim();
    const mine = ++serial;
    const local = problemOf(reason);
    if (local) {
      setProblem(reason ? local : "");
      previewLine.hidden = true;
      return null;
    }
    try {
      const data = await call("POST", "applications/" + a.id + "/reject-preview", { reason });
      if (mine !== serial) return null;  // a newer edit is on its way
      setProblem("");
      preview.textContent = data.text || "（短信未启用，不会发送）您的入会申请未通过审核，原因：" + reason;
      previewLine.hidden = false;
      return { reason, text: preview.textContent };
    } catch (e) {
      if (mine !== serial) return null;
      setProblem(e.message);
      previewLine.hidden = true;
      return null;
    }
  };
  const edited = () => {
    counter.textContent = [...box.value.trim()].length + "/" + maxReasonChars;
    confirmSlot.replaceChildren();  // a confirmation is for the text it showed, not a later one
    clearTimeout(timer);
    timer = setTimeout(render, 250);
  };
  box.addEventListener("input", edited);

  const chips = el("div", { class: "chips", role: "group", "aria-label": "常用原因" },
    ...reasons.map((r) => el("button", { type: "button", class: "chip", onclick: () => {
      // The box is filled, not focused: on a phone the keyboard would cover the preview and the
      // button; a tap on the box edits it.
      box.value = r;
      edited();
      clearTimeout(timer);
      render();
    } }, r)));

  rejectButton.addEventListener("click", async () => {
    const reason = box.value.trim();
    const local = problemOf(reason);
    if (local) {
      setProblem(local);
      box.focus();
      return;
    }
    clearTimeout(timer);
    const shown = await render();
    if (!shown) {
      box.focus();
      return;
    }
    const panel = confirmPanel("reject-confirm", ["确认不通过？司机会马上收到这条短信，发出后不能撤回：",
      el("p", { class: "reply", id: "reject-confirm-text" }, shown.text)], "确认不通过并发短信",
    async () => {
      await act(a.id, "reject", { reason: shown.reason });
    }, () => {
      confirmSlot.replaceChildren();
      rejectButton.focus();
    });
    confirmSlot.replaceChildren(panel);
    $("reject-confirm-yes").focus();
  });

  return el("fieldset", { id: "reject-section" }, el("legend", {}, "不通过"),
    el("p", { class: "muted", id: "reject-help" }, "常用原因（点一下填入下面的框，可再修改）："), chips,
    el("label", { for: "reject-reason" }, "不通过的原因（发给司机的短信里就是这句话）"), box,
    el("div", { class: "row" }, counter), error, previewLine,
    el("div", { class: "actions" }, rejectButton), confirmSlot);
}

function moveSection(a) {
  const target = el("select", { id: "move-target" }, el("option", { value: "" }, "请选择区县"),
    ...allDistricts.filter((d) => d.id !== a.district).map((d) => el("option", { value: d.id }, d.name)));
  const error = el("p", { class: "field-error", id: "move-error", role: "alert" });
  const button = el("button", { id: "move-button" }, "转区县…");
  const confirmSlot = el("div");
  target.addEventListener("change", () => {
    error.textContent = "";
    confirmSlot.replaceChildren();
  });
  button.addEventListener("click", () => {
    if (!target.value) {
      error.textContent = "请先选择要转去的区县";
      target.focus();
      return;
    }
    const to = target.value;
    const name = districtName(to);
    const mine = districts.some((d) => d.id === to);
    const panel = confirmPanel("move-confirm", ["确认把申请 " + a.id + " 转到" + name + "？",
      el("p", {}, "转出后由" + name + "审核，办结时限不变" + (mine ? "。" : "；转出后您将看不到这份申请。"))],
    "确认转到" + name, async () => {
      try {
        showError("");
        await call("POST", "applications/" + a.id + "/move", { district: to });
        notice = "申请 " + a.id + " 已转到" + name + "。";
        await refreshCounts();
        await render();
      } catch (e) {
        showError(e.message);
      }
    }, () => {
      confirmSlot.replaceChildren();
      button.focus();
    });
    confirmSlot.replaceChildren(panel);
    $("move-confirm-yes").focus();
  });
  return el("fieldset", { id: "move-section" }, el("legend", {}, "转到其他区县（分错区县时）"),
    el("label", { for: "move-target" }, "转到"), target, error,
    el("div", { class: "actions" }, button), confirmSlot);
}

async function showApplication(id) {
  const a = await call("GET", "applications/" + id);
  const sms = a.sms ? (templateNames[a.sms.template] || "短信") + "：" + (stateNames[a.sms.state] || "状态未知") +
    (a.sms.reason ? "（" + smsReason(a.sms.reason) + "）" : "") : "";
  const phone = a.mobile ? el("a", { href: "tel:" + a.mobile, id: "call-phone", "aria-label": "拨打 " + a.mobile }, a.mobile, "（点击拨打）") : "";
  const fields = [
    ["申请编号", a.id], ["状态", statusNames[a.status] || "未知"], ["姓名", a.name],
    ["身份证号", a.id_card], ["手机号", phone], ["车牌", a.plate], ["职业", a.occupation],
    ["工作单位", a.employer || "无（周转池）"], ["区县", a.district_name || districtName(a.district)],
    ["办结时限", a.deadline_text], ["原因", a.reason], ["审核人", a.decided_by],
    ["转自", a.moved_from ? a.moved_from_name || districtName(a.moved_from) : ""],
    ["接转至", a.transferred_to], ["短信", sms],
  ];
  const list = el("dl");
  for (const [name, value] of fields) if (value) list.append(el("dt", {}, name), el("dd", {}, value));
  const title = el("h2", { id: "application-title", tabindex: "-1" }, "申请 " + a.id);
  const card = el("div", { class: "card" }, title, list);
  const actions = el("div", { class: "actions" });
  const sections = [];
  if (a.status === "received") {
    // Approving is one tap: nothing goes wrong for the driver if it is a mistake to fix later.
    actions.append(el("button", { class: "primary", id: "approve-button", onclick: () => act(id, "approve") }, "通过"));
    sections.push(rejectSection(a), moveSection(a));
  } else if (a.status === "approved" && a.turnover_pool && !a.transferred_to) {
    const union = el("input", { placeholder: "接收的基层工会名称", "aria-label": "接收的基层工会名称" });
    actions.append(el("div", { style: "width:100%" }, union),
      el("button", { class: "primary", onclick: () => act(id, "transfer", { union: union.value }) },
        "会籍接转"));
  }
  card.append(actions, ...sections);
  $("view").replaceChildren(el("button", { id: "back", onclick: () => {
    returnTo = a.id;
    render();
  } }, "← 返回列表"), card);
  title.focus();
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
  alertCount = data.alerts.length;
  updateCounts();
  const view = $("view");
  view.replaceChildren(el("p", { class: "muted" },
    data.alerts.length ? "发送失败的短信：请电话联系司机。" : "没有发送失败的短信。"));
  for (const alert of data.alerts) {
    const a = alert.application;
    const card = el("div", a ? { class: "card", "data-id": a.id } : { class: "card" },
      el("div", { class: "row" }, el("strong", {}, templateNames[alert.template] || "短信"),
        el("span", { class: "muted" }, new Date(alert.at_ms).toLocaleString("zh-CN"))),
      el("div", {}, smsReason(alert.reason) || "发送失败"),
      a ? el("div", { class: "muted" }, "申请编号 ", a.id, " · ", a.mobile, " · ", districtName(a.district),
        " · ", statusNames[a.status] || "") : null);
    view.append(a ? actionable(card, "打开申请 " + a.id, () => openApplication(a.id)) : card);
  }
}

// Promoters and events (docs/admin-api.md "Promoters"): create one, read its counts, copy its
// link, download its QR code (an SVG file the API draws; saved, not shown, so the page's CSP
// needs no image source).
async function showPromoters() {
  const kind = el("select", { "aria-label": "类型" }, el("option", { value: "promoter" }, "宣传员"),
    el("option", { value: "event" }, "宣传活动"));
  const name = el("input", { placeholder: "姓名或活动名称", maxlength: "30", "aria-label": "名称" });
  const district = el("select", { "aria-label": "区县" },
    ...districts.map((d) => el("option", { value: d.id }, d.name)));
  const days = el("input", { type: "number", min: "1", max: "366", value: "90", "aria-label": "有效天数" });
  const table = el("table", { class: "promoters" });
  const totals = el("table", { class: "promoter-totals" });
  const note = el("p", { class: "muted" });
  const download = async (p) => {
    const response = await fetch("/admin/api/promoters/" + p.id + "/qr.svg",
      { headers: { Authorization: "Bearer " + sessionStorage.getItem("kayou-token") } });
    if (!response.ok) {
      const data = await response.json().catch(() => ({}));
      throw new Error(failureMessage(response.status, data));
    }
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: "入会二维码-" + p.name + "-" + p.id + ".svg" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  };
  const load = async () => {
    const data = await call("GET", "/admin/api/promoters");
    totals.replaceChildren(el("tr", {}, ...["区县", "宣传员", "活动", "入会", "通过", "待审", "未通过"]
      .map((h) => el("th", {}, h))));
    for (const d of data.districts)
      totals.append(el("tr", {}, el("td", {}, d.district_name), el("td", {}, d.promoters),
        el("td", {}, d.events), el("td", {}, d.joins), el("td", {}, d.approved),
        el("td", {}, d.received), el("td", {}, d.rejected)));
    table.replaceChildren(el("tr", {}, ...["编号", "类型", "名称", "区县", "入会", "通过", "待审", "有效期至", ""]
      .map((h) => el("th", {}, h))));
    for (const p of data.promoters) {
      const qr = el("button", { type: "button" }, "下载二维码");
      qr.addEventListener("click", () => download(p).catch((e) => showError(e.message)));
      const copy = el("button", { type: "button" }, "复制链接");
      copy.addEventListener("click", () => {
        navigator.clipboard.writeText(p.link).then(() => { note.textContent = "已复制 " + p.name + " 的入会链接"; },
          () => { note.textContent = p.link; });
      });
      table.append(el("tr", { "data-id": p.id }, el("td", {}, p.id), el("td", {}, p.kind_name),
        el("td", {}, p.name), el("td", {}, p.district_name), el("td", {}, p.joins),
        el("td", {}, p.approved), el("td", {}, p.received),
        el("td", { class: p.expired ? "late" : "" }, p.expired ? "已过期" : isoDate(new Date(p.expires * 1000))),
        el("td", {}, qr, " ", copy)));
    }
    if (!data.promoters.length) note.textContent = "还没有宣传员或宣传活动。";
  };
  const create = el("button", { type: "button", class: "primary" }, "创建");
  create.addEventListener("click", async () => {
    showError("");
    try {
      const p = await call("POST", "/admin/api/promoters", { kind: kind.value, name: name.value,
        district: district.value, days: Number(days.value) });
      name.value = "";
      note.textContent = "已创建 " + p.kind_name + " " + p.name + "（" + p.id + "）。扫码入会的申请会记在它名下。";
      await load();
    } catch (e) {
      showError(e.message);
    }
  });
  $("view").replaceChildren(
    el("div", { class: "card" }, el("div", { class: "row" }, kind, name, district,
      el("label", {}, "有效天数 ", days), create)),
    note, totals, table);
  await load();
}

// ---- The desks' inbox (工单, 答复时效): the legal desk, district staff and the city admin over
// /admin/api/tickets (docs/admin-api.md "Tickets"). The server decides which tickets a token
// sees; every list and ticket view is audited there.
const ticketStates = { open: "待答复", answered: "已答复", closed: "已办结" };
const channelNames = {
  oa: "公众号", wecom_app: "企业微信", wecom_bot: "企业微信群机器人", bridge: "微信群",
  sms: "短信", desk: "电话/来访",
};
const grievanceNames = { fines: "罚款", enforcement: "执法", services: "服务" };
let deskState = "open";
let deskTimer = null;  // refreshes the open inbox while it is shown

function stopDesk() {
  if (deskTimer) clearInterval(deskTimer);
  deskTimer = null;
}

function ticketKind(t) {
  if (t.category === "legal") return "法律咨询";
  if (t.category === "grievance") return "诉求·" + (grievanceNames[t.subcategory] || "其他");
  if (t.category === "staff") {
    if (!t.subcategory) return "入会帮助·未选区县";
    // Staff load no district list (that is the reviewers' API); theirs are their own districts.
    const known = allDistricts.some((d) => d.id === t.subcategory);
    return "入会帮助·" + (known ? districtName(t.subcategory) : "本区县");
  }
  return "工单";
}

function waited(seconds) {
  const minutes = Math.max(0, Math.floor(seconds / 60));
  if (minutes < 60) return minutes + "分钟";
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return hours + "小时" + (minutes % 60) + "分";
  return Math.floor(hours / 24) + "天";
}

function ticketCard(t) {
  const now = Date.now() / 1000;
  // The desk's earlier answers are kept among the notes: the count is what the driver added.
  const added = (t.notes || []).filter((note) => note.answered_by === undefined).length;
  const age = t.state === "open"
    ? el("span", { class: now - t.created_at > 86400 ? "late" : "" }, "已等 " + waited(now - t.created_at))
    : el("span", { class: "ok" }, ticketStates[t.state] || "");
  const card = el("div", { class: "card app-card ticket-card", "data-number": t.number },
    el("div", { class: "row" }, el("strong", {}, ticketKind(t)), age),
    el("div", { class: "ticket-question" }, t.question),
    el("div", { class: "muted" }, "工单号 ", t.number, " · ", channelNames[t.channel] || "聊天",
      t.phone ? " · " + t.phone : "",
      added ? " · 司机补充 " + added + " 条" : ""));
  return actionable(card, "打开工单 " + t.number + "（" + ticketKind(t) + "）", () => openTicket(t.number));
}

async function showDesk() {
  const select = el("select", { id: "ticket-state", "aria-label": "工单状态" },
    ...Object.entries(ticketStates).map(([value, name]) => el("option", { value }, name)));
  select.value = deskState;
  const list = el("div", { id: "ticket-list" });
  const summary = el("p", { class: "muted", id: "ticket-summary", role: "status" });
  const load = async () => {
    const data = await call("GET", "/admin/api/tickets?state=" + deskState);
    if (tab !== "desk" || !$("ticket-list")) return;  // the page moved on meanwhile
    summary.textContent = ticketStates[deskState] + " " + data.tickets.length + " 件" +
      (deskState === "open" ? "（先来先办，每15秒刷新）" : "");
    if (deskState === "open") setTabCount("desk", data.tickets.length);
    list.replaceChildren(...data.tickets.map(ticketCard));
    if (!data.tickets.length) list.append(el("p", { class: "muted" }, "没有" + ticketStates[deskState] + "的工单。"));
  };
  select.addEventListener("change", () => {
    deskState = select.value;
    load().catch((e) => showError(e.message));
  });
  const view = $("view");
  view.replaceChildren();
  if (notice) view.append(el("p", { class: "status ok", role: "status", id: "notice" }, notice));
  notice = "";
  view.append(el("label", {}, "状态 ", select), summary, list);
  await load();
  stopDesk();
  deskTimer = setInterval(() => {
    if (!$("ticket-list")) return stopDesk();
    load().catch((e) => showError(e.message));
  }, 15000);
  const card = returnTo && [...list.querySelectorAll(".ticket-card")].find((c) => c.dataset.number === returnTo);
  returnTo = null;
  if (card) card.focus();
}

async function openTicket(number) {
  try {
    showError("");
    stopDesk();
    await showTicket(number);
  } catch (e) {
    showError(e.message);
  }
}

async function showTicket(number) {
  const t = await call("GET", "/admin/api/tickets/" + number);
  const view = $("view");
  const back = el("button", { id: "ticket-back" }, "← 返回工单列表");
  back.addEventListener("click", () => {
    returnTo = number;
    render();
  });
  const turns = el("ol", { id: "ticket-turns" }, ...(t.recent || []).map((turn) => el("li", {}, turn)));
  const parts = [back, el("h2", { id: "ticket-title", tabindex: "-1" }, "工单 " + t.number),
    el("dl", {},
      el("dt", {}, "类别"), el("dd", {}, ticketKind(t)),
      el("dt", {}, "状态"), el("dd", {}, ticketStates[t.state] || t.state),
      el("dt", {}, "来自"), el("dd", {}, channelNames[t.channel] || "聊天"),
      el("dt", {}, "提交时间"), el("dd", {}, new Date(t.created_at * 1000).toLocaleString("zh-CN")),
      el("dt", {}, "手机"), el("dd", {}, t.phone || "未留")),
    el("h3", {}, "司机的问题"), el("div", { class: "reply", id: "ticket-question" }, t.question),
    el("h3", {}, "最近的对话"),
    (t.recent || []).length ? turns : el("p", { class: "muted" }, "没有附带的对话。")];
  // What he sent after the ticket was opened, his replies to an answer included, and the desk's
  // earlier answers (a later answer replaced them as the ticket's answer), in the order said.
  if ((t.notes || []).length) {
    const answered = t.notes.some((note) => note.answered_by !== undefined);
    parts.push(el("h3", {}, answered ? "司机补充的内容和之前的答复" : "司机补充的内容"),
      el("ol", { id: "ticket-notes" }, ...t.notes.map((note) => el("li",
        note.answered_by !== undefined ? { class: "earlier-answer" } : {},
        el("span", { class: "muted" }, new Date(note.at * 1000).toLocaleString("zh-CN") + "　"),
        note.answered_by !== undefined ? "之前的答复（" + note.answered_by + "）：" : "",
        note.text))));
  }
  if (t.answer)
    parts.push(el("h3", {}, "已答复（" + (t.answered_by || "") + "）"),
      el("div", { class: "reply", id: "ticket-answer" }, t.answer));
  if (t.state !== "closed") {
    const box = el("textarea", { id: "answer-text", rows: "5", "aria-label": "答复内容",
      placeholder: "写给司机的答复" });
    const error = el("p", { class: "field-error", id: "answer-error", role: "alert" });
    const send = el("button", { class: "primary", id: "answer-send" }, t.answer ? "再次答复" : "发送答复");
    const close = el("button", { id: "ticket-close" }, "办结");
    send.addEventListener("click", async () => {
      const text = box.value.trim();
      if (!text) {
        error.textContent = "请先写答复内容";
        box.focus();
        return;
      }
      error.textContent = "";
      send.disabled = true;
      try {
        const result = await call("POST", "/admin/api/tickets/" + number + "/answer", { text });
        notice = "已答复工单 " + number + "：司机下次发消息时在原聊天窗口收到" +
          (result.sms_queued ? "，并已发短信通知" : "") + "。";
        returnTo = number;
        await render();
      } catch (e) {
        send.disabled = false;
        error.textContent = e.message;
      }
    });
    close.addEventListener("click", () => {
      if ($("close-confirm")) return;
      const panel = confirmPanel("close-confirm",
        ["办结工单 " + number + "？", el("p", {}, "办结后不能再答复。")], "确认办结",
        async () => {
          try {
            await call("POST", "/admin/api/tickets/" + number + "/close");
            notice = "工单 " + number + " 已办结。";
            returnTo = number;
            await render();
          } catch (e) {
            showError(e.message);
          }
        }, () => {
          panel.remove();
          close.focus();
        });
      close.parentNode.after(panel);
      $("close-confirm-yes").focus();
    });
    parts.push(el("h3", {}, "答复"),
      el("p", { class: "muted" }, "微信只允许回复司机发来的消息：答复在他下次发消息时送到原聊天窗口；留过手机号的，同时发短信告诉他来看。"),
      box, error, el("div", { class: "actions" }, send, close));
  }
  view.replaceChildren(...parts);
  $("ticket-title").focus();
}

async function showDeskStats() {
  const data = await call("GET", "/admin/api/tickets/stats");
  const table = el("table", { id: "desk-stats" },
    el("tr", {}, ...["类别", "收到", "已答复", "已办结", "首次答复用时（中位数）"].map((h) => el("th", {}, h))));
  const entries = Object.entries(data.categories);
  for (const [key, s] of entries) {
    const [category, subcategory] = key.split(":");
    table.append(el("tr", {}, el("td", {}, ticketKind({ category, subcategory: subcategory || "" })),
      el("td", {}, s.opened), el("td", {}, s.answered), el("td", {}, s.closed),
      el("td", {}, s.median_seconds_to_answer < 0 ? "—" : waited(s.median_seconds_to_answer))));
  }
  $("view").replaceChildren(el("p", { class: "muted" }, "从司机转人工到第一次答复的用时，按类别。"),
    entries.length ? table : el("p", { class: "muted" }, "还没有工单。"));
}

async function loadDistricts() {
  const data = await call("GET", "districts");
  districts = data.districts;
  allDistricts = data.all || districts;
  const select = $("district");
  const current = select.value;
  select.replaceChildren(...districts.map((d) => el("option", { value: d.id },
    d.name + "（待审 " + d.pending + (d.overdue ? "，超时 " + d.overdue : "") + "）")));
  if (current) select.value = current;
  updateCounts();
}

async function loadAlertCount() {
  try {
    alertCount = (await call("GET", "sms-alerts")).alerts.length;
  } catch (e) {
    alertCount = null;
  }
  updateCounts();
}

async function render() {
  showError("");
  stopDesk();
  $("district-label").hidden = tab !== "queue" && tab !== "pool";
  const content = tab === "content" || tab === "missed";
  document.querySelector("main").classList.toggle("wide", content);
  try {
    if (content) await window.kayouContent.render(tab, $("view"));
    else if (tab === "queue" || tab === "pool") await showList(tab);
    else if (tab === "stats") await showStats();
    else if (tab === "promoters") await showPromoters();
    else if (tab === "accounts") await window.kayouAccounts.render($("view"));
    else if (tab === "desk") await showDesk();
    else if (tab === "deskstats") await showDeskStats();
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
    if (reviewRoles.includes(me.role)) {
      await loadDistricts();
      await loadAlertCount();
    }
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
  stopDesk();
  if (window.kayouContent) window.kayouContent.stop();
  if (window.kayouAccounts) window.kayouAccounts.stop();
  $("login").hidden = false;
  $("app").hidden = true;
  $("tabs").hidden = true;
  $("logout").hidden = true;
}

// The login is a form: Enter in the token field, the button, and the phone keyboard's 前往 all
// submit it; the page handles it (form-action 'none' in the CSP: it never navigates).
function login(event) {
  event.preventDefault();
  const token = $("token").value.trim();
  if (!token) {
    showError("请输入令牌");
    $("token").focus();
    return;
  }
  showError("");
  sessionStorage.setItem("kayou-token", token);
  $("token").value = "";
  start();
}
$("login").addEventListener("submit", login);
$("logout").addEventListener("click", logout);
$("district").addEventListener("change", () => {
  updateCounts();
  render();
});
for (const button of document.querySelectorAll("#tabs button"))
  button.addEventListener("click", () => {
    if (window.kayouContent) window.kayouContent.stop();
    if (window.kayouAccounts) window.kayouAccounts.stop();
    selectTab(button.dataset.tab);
    render();
  });
// console_content.js (loaded after this file) starts the page once it is defined.
window.kayouStart = () => {
  if (sessionStorage.getItem("kayou-token")) start();
};

// The content tabs of the admin console (docs/admin-api.md "Content" and "Missed questions"), for
// content editors at a city union: browse and search the FAQ entries, edit one in a form, 校验
// (the parser's line messages next to the fields), 试问 (what the bot would answer, with the
// scores), 发布 and 回滚, and the 漏答 inbox (questions the bot did not answer directly, scrubbed of
// personal data). Loaded after console.js and uses its helpers ($, el, call, showError).
//
// Edits never touch the published version: each save is a new version built on the *working*
// version (the published one, or the editor's newest draft), so several edits chain into one draft
// that is published at once. As in console.js, everything shown goes in with textContent only.
"use strict";

(() => {
  const contentApi = "/admin/api/content/faq/";
  const missedApi = "/admin/api/missed";
  const pageSize = 60;
  const missedPollMs = 500;

  const state = {
    published: 0,    // the version drivers get
    label: "",       // its `version:` text
    working: Number(sessionStorage.getItem("kayou-working")) || 0,
    entries: [],     // the working version's, in file order
    entriesOf: 0,    // which version `entries` holds
    query: "",
    shown: pageSize,
    open: null,      // the form in the right pane, or null
    view: "entries", // entries | versions
    timer: null,
    missedKey: "",
    expanded: new Set(),
    root: null,
  };

  const outcomeNames = { not_understood: "没听懂", two_answers: "给了两个答案", choices: "给了选项",
    handoff: "转了人工" };
  const actionNames = {
    answer: "直接回答", both: "两种情况都回答", choices: "给出几个选项让司机选",
    handoff: "回答不了，转律师值班",
    silence: "不说话（群里没有@机器人）",
  };

  // ---------------------------------------------------------------------------------- helpers

  function node(tag, props, ...children) {
    const made = el(tag, {}, ...children);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") made.className = value;
      else if (key.startsWith("on")) made.addEventListener(key.slice(2), value);
      else if (key in made && typeof value !== "string") made[key] = value;
      else made.setAttribute(key, value === true ? "" : value);
    }
    return made;
  }

  function when(seconds) {
    if (!seconds) return "";
    return new Date(seconds * 1000).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
  }

  function lines(text) {
    return text.split("\n").map((line) => line.trim()).filter((line) => line);
  }

  function words(text) {
    return text.split(/[,，、;；\s]+/).map((word) => word.trim()).filter((word) => word);
  }

  function setWorking(version) {
    state.working = version;
    sessionStorage.setItem("kayou-working", String(version));
  }

  function status(target, text, ok) {
    target.textContent = text;
    target.className = "status" + (ok ? " ok" : "");
  }

  async function guarded(action) {
    try {
      showError("");
      await action();
    } catch (e) {
      showError(e.message);
    }
  }

  // --------------------------------------------------------------------------- loading state

  async function loadPublished() {
    const data = await call("GET", contentApi + "published");
    state.published = data.published;
    if (!state.working) setWorking(data.published);
    return data;
  }

  async function loadEntries(force) {
    if (!force && state.entriesOf === state.working) return;
    let data;
    try {
      data = await call("GET", contentApi + "versions/" + state.working + "/entries");
    } catch (e) {
      if (e.status !== 404 || state.working === state.published) throw e;
      setWorking(state.published);  // a draft from another session that is gone
      data = await call("GET", contentApi + "versions/" + state.working + "/entries");
    }
    state.entries = data.entries;
    state.entriesOf = data.version;
    state.label = data.label;
  }

  // Publishes `version` (unless `done`: the save published it) and says when this process serves
  // it (≈ one poll interval).
  async function publish(version, target, done) {
    if (!done) await call("POST", contentApi + "versions/" + version + "/publish");
    state.published = version;
    setWorking(version);
    status(target, "已发布版本 " + version + "，正在生效…");
    const started = Date.now();
    while (Date.now() - started < 20000) {
      const data = await call("GET", contentApi + "published");
      if (data.serving === version) {
        status(target, "已发布版本 " + version + "，机器人已按这个版本回答。", true);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    status(target, "已发布版本 " + version + "，但本服务还没有切换过来，请稍后刷新。");
  }

  // ------------------------------------------------------------------------ the version bar

  function versionBar(onChange) {
    const bar = node("div", { class: "bar", id: "version-bar", role: "region", "aria-label": "版本" });
    const text = node("span", { id: "version-text" });
    const message = node("div", { class: "status", role: "status", id: "bar-status" });
    bar.append(text);
    if (state.working !== state.published) {
      text.textContent = "草稿：版本 " + state.working + "，还没有发布（司机现在看到的是版本 " +
        state.published + "）";
      bar.append(
        node("button", { class: "primary", id: "publish-draft", onclick: () => guarded(async () => {
          await publish(state.working, message);
          await onChange();
        }) }, "发布草稿"),
        node("button", { id: "drop-draft", onclick: () => guarded(async () => {
          setWorking(state.published);
          state.open = null;
          await onChange();
        }) }, "放弃草稿"));
    } else {
      bar.classList.add("live");
      text.textContent = "线上版本 " + state.published + (state.label ? "（" + state.label + "）" : "") +
        "：司机现在看到的内容";
    }
    if (state.view !== "versions")
      bar.append(node("button", { id: "show-versions", onclick: () => guarded(async () => {
        stop();
        selectTab("content");  // console.js: the versions belong to the 内容 tab
        state.view = "versions";
        await renderContent();
      }) }, "版本与回滚"));
    return node("div", {}, bar, message);
  }

  // -------------------------------------------------------------------- 422 line messages

  // The parser's messages (faq/script.cpp) in the editor's words, and the field each is about
  // when the server could not tell from the line (messages said on the entry's first line).
  const rules = [
    [/^id '(.*)' must be 1-64 characters/, "id",
      (m) => "编号“" + m[1] + "”不合格式：只能用小写英文字母、数字、_ 或 -，最多 64 个字符"],
    [/^entry has no id$/, "id", () => "缺少编号"],
    [/^duplicate id '(.*)' \(first on line (\d+)\)$/, "id",
      (m) => "编号“" + m[1] + "”已经被另一个条目使用（第 " + m[2] + " 行），请换一个"],
    [/^question '(.*)' of '(.*)' is also in '(.*)'$/, "questions", (m, id) =>
      "问法“" + m[1] + "”已经在条目“" + (m[2] === id ? m[3] : m[2]) +
      "”里，同一个问法不能放在两个条目中"],
    [/has no questions$/, "questions", () => "至少要写一个问法"],
    [/^questions of .* has an empty item$/, "questions", () => "问法不能是空的"],
    [/has an empty answer$|has no answer$/, "answer", () => "回答不能为空"],
    [/is a legal answer without legal_basis/, "legal_basis",
      () => "法律问答必须写法律依据；如果这是热线、办事地点之类的服务信息，请勾选下面的“服务信息”"],
    [/^legal_basis item of '.*' has no law$/, "legal_basis", () => "这一条法律依据没有写法律名称"],
    [/^tags of .* has an empty item$/, "tags", () => "标签不能为空"],
    [/^districts of .* has an empty item$/, "districts", () => "区县不能为空"],
    [/^no entry '(.*)'$/, "", (m) => "找不到条目“" + m[1] + "”，可能已被别人删除或改名，请刷新后再试"],
    [/^YAML syntax error/, "", () => "格式错误"],
  ];

  function explain(problem, entry) {
    let field = problem.field || "";
    let index = problem.index === undefined ? -1 : problem.index;
    let text = problem.message;
    for (const [pattern, ruleField, say] of rules) {
      const m = problem.message.match(pattern);
      if (!m) continue;
      text = say(m, entry.id);
      if (ruleField === "questions" && m[2] !== undefined) {
        // About this entry only when it names it.
        if (m[2] === entry.id || m[3] === entry.id) {
          field = "questions";
          index = entry.questions.indexOf(m[1]);
        } else {
          field = "";
        }
      } else if (ruleField === "id" && m[1] !== undefined && pattern.source.startsWith("^duplicate")) {
        field = m[1] === entry.id ? "id" : "";
      } else if (ruleField) {
        field = ruleField;
      } else {
        field = "";
      }
      break;
    }
    return { field, index, text: (problem.line > 0 ? "第 " + problem.line + " 行：" : "") + text };
  }

  // ----------------------------------------------------------------------------- the form

  // The form of one entry. `mode`: {kind: "edit" | "new" | "promote", group?} (promote: a missed
  // question becomes a new entry). Returns {root, ...controls}.
  function entryForm(entry, mode, onSaved, onBack) {
    const f = { mode, original: mode.kind === "edit" ? entry.id : "", dirty: false, leave: false };
    const uid = (name) => "f-" + name;
    const errorBox = (name) => node("div", { class: "field-error", id: uid(name) + "-error", "aria-live": "polite" });
    f.errors = {
      id: errorBox("id"), questions: errorBox("questions"), answer: errorBox("answer"),
      legal_basis: errorBox("legal_basis"), tags: errorBox("tags"), districts: errorBox("districts"),
    };
    f.general = node("div", { class: "error", id: "form-errors", role: "alert", hidden: true });
    f.status = node("div", { class: "status", role: "status", id: "form-status" });
    f.heading = node("h2", { tabindex: "-1", id: "form-title" },
      mode.kind === "edit" ? "编辑条目" : mode.kind === "promote" ? "把漏答的问题写成新条目" : "新建条目");
    f.id = node("input", { id: uid("id"), value: entry.id, autocomplete: "off", spellcheck: "false",
      "aria-describedby": uid("id") + "-error " + uid("id") + "-hint" });
    f.questions = node("textarea", { id: uid("questions"), rows: "6", "aria-describedby": uid("questions") + "-error" });
    f.questions.value = entry.questions.join("\n");
    f.answer = node("textarea", { id: uid("answer"), rows: "7",
      "aria-describedby": uid("answer") + "-error " + uid("answer") + "-note" });
    // How long the whole reply is (answer, legal basis, closing line), from the server on 校验 and
    // 保存: past one reply's limit the Official Account shortens it and the driver loses the end.
    f.answerNote = node("div", { class: "muted", id: uid("answer") + "-note", "aria-live": "polite" });
    f.answer.value = entry.answer;
    f.tags = node("input", { id: uid("tags"), value: entry.tags.join("，"), "aria-describedby": uid("tags") + "-error" });
    f.districts = node("input", { id: uid("districts"), value: (entry.districts || []).join("，"),
      "aria-describedby": uid("districts") + "-error" });
    f.service = node("input", { type: "checkbox", id: uid("service") });
    f.service.checked = entry.legal === false;
    f.handoff = node("input", { type: "checkbox", id: uid("handoff") });
    f.handoff.checked = !!entry.handoff;

    f.basis = [];
    const basisList = node("div", { id: "basis-rows" });
    const addBasis = (law, article, focus) => {
      const row = { law: node("input", { value: law, "aria-label": "法律名称", placeholder: "法律名称，如 劳动合同法" }),
        article: node("input", { value: article, "aria-label": "条款", placeholder: "第30条" }) };
      row.node = node("div", { class: "basis" }, row.law, row.article,
        node("button", { type: "button", "aria-label": "删除这条依据", onclick: () => {
          f.basis = f.basis.filter((other) => other !== row);
          row.node.remove();
          changed();
        } }, "删除"));
      f.basis.push(row);
      basisList.append(row.node);
      if (focus) row.law.focus();
    };
    for (const b of entry.legal_basis) addBasis(b.law, b.article);
    if (!entry.legal_basis.length && entry.legal !== false) addBasis("", "");

    const changed = () => {
      f.dirty = true;
      f.leave = false;
      status(f.status, "有未保存的修改");
    };

    const label = (text, control, extra) => node("label", { for: control.id }, text, extra || null);
    const save = node("button", { class: "primary", id: "save-entry", onclick: () => guarded(() => submit(false)) },
      "保存草稿");
    const publishButton = node("button", { id: "publish-entry", onclick: () => guarded(() => submit(true)) },
      mode.kind === "edit" ? "发布" : "保存并发布");
    const check = node("button", { id: "check-entry", onclick: () => guarded(() => validate()) }, "校验");
    const actions = node("div", { class: "actions" }, check, save, publishButton);
    if (mode.kind === "edit") {
      const remove = node("button", { class: "danger", id: "remove-entry", onclick: () => {
        remove.hidden = true;
        confirmBox.hidden = false;
        confirmBox.querySelector("button").focus();
      } }, "删除条目");
      const confirmBox = node("div", { hidden: true, class: "actions" },
        node("span", {}, "删除后司机再问就找不到这条了（发布后生效）。"),
        node("button", { class: "danger", onclick: () => guarded(async () => {
          const result = await call("POST", contentApi + "entries", { base: state.working, remove: f.original });
          setWorking(result.version);
          await loadEntries(true);
          onSaved(null, "已删除，保存为草稿版本 " + result.version + "（还没有发布）");
        }) }, "确定删除"),
        node("button", { onclick: () => {
          confirmBox.hidden = true;
          remove.hidden = false;
          remove.focus();
        } }, "取消"));
      actions.append(remove, confirmBox);
    }

    const root = node("div", { class: "card", id: "entry-form" },
      onBack ? node("button", { class: mode.kind === "promote" ? "" : "phone-only", onclick: onBack, id: "form-back" },
        mode.kind === "promote" ? "← 返回漏答列表" : "← 返回列表") : null,
      f.heading, f.general,
      label("编号", f.id), f.id, f.errors.id,
      node("div", { class: "muted", id: uid("id") + "-hint" },
        "小写英文字母、数字、_ 或 -，例如 wage_arrears。" + (mode.kind === "edit" ? "一般不要改。" : "")),
      label("司机的问法（每行一个，4–6 个不同说法最好）", f.questions), f.questions, f.errors.questions,
      label("回答（用司机听得懂的话）", f.answer), f.answer, f.errors.answer, f.answerNote,
      node("fieldset", { id: "basis" }, node("legend", {}, "法律依据（法律名称 + 条款；拿不准条款时只写法律名称）"),
        basisList, f.errors.legal_basis,
        node("button", { type: "button", id: "add-basis", onclick: () => { addBasis("", "", true); changed(); } },
          "＋ 添加依据")),
      label("标签（用逗号分开）", f.tags), f.tags, f.errors.tags,
      label("只在这些区县回答（用逗号分开；不填＝全市）", f.districts), f.districts, f.errors.districts,
      node("label", { class: "check" }, f.service, "服务信息（热线、办事地点等），不需要法律依据"),
      node("label", { class: "check" }, f.handoff, "回答时总是提供转律师值班"),
      actions, f.status,
      tryBox(() => f.dirty ? submit(false) : Promise.resolve(true), () => formEntry().id));
    f.root = root;
    for (const control of [f.id, f.questions, f.answer, f.tags, f.districts, f.service, f.handoff])
      control.addEventListener("input", changed);
    basisList.addEventListener("input", changed);
    root.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === "s") {
        event.preventDefault();
        guarded(() => submit(false));
      }
    });

    function formEntry() {
      f.sent = f.basis.filter((row) => row.law.value.trim() || row.article.value.trim());
      return {
        id: f.id.value.trim(),
        questions: lines(f.questions.value),
        answer: f.answer.value.trim(),
        legal_basis: f.sent.map((row) => {
          let article = row.article.value.trim();
          if (/^\d+$/.test(article)) article = "第" + article + "条";
          return { law: row.law.value.trim().replace(/[《》]/g, ""), article };
        }),
        tags: words(f.tags.value),
        districts: words(f.districts.value),
        legal: !f.service.checked,
        handoff: f.handoff.checked,
      };
    }

    function clearProblems() {
      f.general.hidden = true;
      f.general.replaceChildren();
      for (const box of Object.values(f.errors)) box.replaceChildren();
      for (const invalid of root.querySelectorAll("[aria-invalid]")) invalid.removeAttribute("aria-invalid");
    }

    function showProblems(problems, entry) {
      clearProblems();
      const controls = { id: f.id, questions: f.questions, answer: f.answer, tags: f.tags, districts: f.districts };
      let first = null;
      for (const problem of problems) {
        const said = explain(problem, entry);
        const box = f.errors[said.field];
        const line = node("div", { class: "problem", "data-line": String(problem.line) }, said.text);
        if (!box) {
          f.general.hidden = false;
          f.general.append(line);
          continue;
        }
        box.append(line);
        let control = controls[said.field];
        if (said.field === "legal_basis") {
          const row = f.sent[said.index] || f.basis[0];
          control = row ? row.law : f.root.querySelector("#add-basis");
        }
        if (control) control.setAttribute("aria-invalid", "true");
        if (!first) first = control;
      }
      status(f.status, "有 " + problems.length + " 处问题，请按提示修改（没有保存，也没有发布）");
      if (first && first.focus) first.focus();
    }

    async function post(extra) {
      const entry = formEntry();
      try {
        if (mode.kind === "promote" && !extra.check)
          return [entry, await call("POST", missedApi + "/" + mode.group.id + "/promote",
            { new: entry, base: state.working, publish: !!extra.publish })];
        return [entry, await call("POST", contentApi + "entries",
          Object.assign({ base: state.working, original: f.original, entry }, extra))];
      } catch (e) {
        if (e.status === 422 && e.data && e.data.errors) {
          showProblems(e.data.errors, entry);
          return [entry, null];
        }
        throw e;
      }
    }

    function showReplyLength(result) {
      if (!result || typeof result.reply_bytes !== "number") return;
      const over = result.reply_bytes > result.reply_limit;
      f.answerNote.classList.toggle("warning", over);
      f.answerNote.textContent = over
        ? "整条回复（回答＋法律依据＋结尾）共 " + result.reply_bytes + " 字节，超过公众号一条回复的 " +
          result.reply_limit + " 字节：司机收到的回答会被截短，后面的内容可能看不到。请精简，或把一部分写成新条目。"
        : "整条回复（回答＋法律依据＋结尾）共 " + result.reply_bytes + " 字节，一条回复最多 " + result.reply_limit + " 字节。";
    }

    async function validate() {
      const [, result] = await post({ check: true });
      if (!result) return;
      clearProblems();
      showReplyLength(result);
      status(f.status, f.dirty ? "校验通过，可以保存或发布" : "校验通过", true);
    }

    // Saves the form as a new draft version (and publishes it when `live`). True when saved.
    async function submit(live) {
      if (!f.dirty && mode.kind === "edit") {
        if (!live) {
          status(f.status, "没有修改");
          return true;
        }
        await publish(state.working, f.status);
        onSaved(f.original, null, true);
        return true;
      }
      const [entry, result] = await post({ publish: !!live });
      if (!result) return false;
      clearProblems();
      showReplyLength(result);
      f.dirty = false;
      f.original = entry.id;
      if (mode.kind === "promote") {
        // The question is content now; later saves of this form edit the new entry.
        await dismissMembers(mode.group);
        mode.kind = "edit";
        f.heading.textContent = "编辑条目";
      }
      setWorking(result.version);
      await loadEntries(true);
      if (live) await publish(result.version, f.status, result.published);
      else status(f.status, "已保存为草稿版本 " + result.version + "（还没有发布，司机看不到）", true);
      onSaved(entry.id, null, live);
      return true;
    }

    f.submit = submit;
    return f;
  }

  // 试问: what the bot would answer from the working version. `before` saves the form first
  // (false: nothing to ask against); `highlight` names the entry being edited.
  function tryBox(before, highlight) {
    const question = node("input", { id: "try-question", placeholder: "输入司机可能会问的话", autocomplete: "off" });
    const result = node("div", { id: "try-result", "aria-live": "polite" });
    const ask = () => guarded(async () => {
      if (!question.value.trim()) return;
      if (!(await before())) return;
      const data = await call("POST", contentApi + "versions/" + state.working + "/preview",
        { questions: [question.value.trim()] });
      const r = data.results[0];
      const t = data.thresholds || { answer: 0.55, suggest: 0.3, margin: 0.06 };
      const table = node("table", { class: "hits" },
        node("tr", {}, node("th", {}, "条目"), node("th", {}, "最像的问法"), node("th", {}, "分数")));
      const mine = highlight ? highlight() : "";
      for (const hit of r.hits)
        table.append(node("tr", { class: hit.id === mine ? "mine" : null }, node("td", {}, hit.id),
          node("td", {}, hit.question), node("td", {}, hit.score.toFixed(2))));
      result.replaceChildren(
        node("p", {}, "按版本 " + data.version + (data.version === state.published ? "（线上）" : "（草稿）") +
          "，机器人会：", node("strong", { id: "try-action" },
          actionNames[r.action] || r.action)),
        ...r.texts.map((text) => node("div", { class: "reply" }, text)),
        // The Official Account's second message (a customer-service message about a second later).
        ...(r.follow_ups || []).map((text) => node("div", { class: "reply follow-up" },
          node("p", { class: "muted" }, "第二条消息（客服消息，约 1 秒后到）："), text)),
        r.hits.length ? table : node("p", { class: "muted" }, "没有相近的条目。"),
        node("p", { class: "muted" }, "分数 ≥ " + t.answer + " 且比第二名高 " + t.margin +
          " 以上：直接回答；≥ " + t.suggest + "：给出选项；更低：转律师值班。"));
    });
    question.addEventListener("keydown", (event) => {
      if (event.key === "Enter") ask();
    });
    return node("section", { id: "try", "aria-label": "试问" },
      node("h3", {}, "试问：机器人会怎么回答"),
      node("label", { for: "try-question" }, "测试问题（按正在编辑的版本回答）"),
      question, node("button", { id: "try-button", onclick: ask }, "试问"), result);
  }

  // -------------------------------------------------------------------- the entries view

  function matches(entry, query) {
    let score = 0;
    for (const word of query.toLowerCase().split(/\s+/).filter((w) => w)) {
      let s = 0;
      if (entry.id.includes(word)) s += 3;
      if (entry.tags.some((tag) => tag.includes(word))) s += 2;
      if (entry.questions.some((q) => q.toLowerCase().includes(word))) s += 2;
      if (entry.legal_basis.some((b) => b.law.includes(word))) s += 1;
      if (entry.answer.includes(word)) s += 0.5;
      if (!s) return 0;
      score += s;
    }
    return query.trim() ? score : 1;
  }

  // A list of entries as buttons with one tab stop (arrow keys move inside). `current`: the id
  // shown as chosen; `choose(entry)` on click / Enter.
  function entryList(found, current, choose, id) {
    const list = node("ul", { class: "entries", id, "aria-label": "条目列表" });
    const buttons = [];
    for (const entry of found) {
      const button = node("button", { type: "button", tabindex: "-1", "data-id": entry.id,
        "aria-current": entry.id === current ? "true" : null, onclick: () => choose(entry) },
        node("div", {}, entry.questions[0] || "（没有问法）"),
        node("div", { class: "id" }, entry.id, entry.tags.length ? " · " + entry.tags.join("、") : ""));
      buttons.push(button);
      list.append(node("li", {}, button));
    }
    const start = Math.max(0, buttons.findIndex((b) => b.dataset.id === current));
    if (buttons.length) buttons[start].tabIndex = 0;
    list.addEventListener("keydown", (event) => {
      const at = buttons.indexOf(document.activeElement);
      if (at < 0) return;
      let to = at;
      if (event.key === "ArrowDown") to = Math.min(buttons.length - 1, at + 1);
      else if (event.key === "ArrowUp") to = Math.max(0, at - 1);
      else if (event.key === "Home") to = 0;
      else if (event.key === "End") to = buttons.length - 1;
      else return;
      event.preventDefault();
      buttons[at].tabIndex = -1;
      buttons[to].tabIndex = 0;
      buttons[to].focus();
    });
    list.focusFirst = () => {
      const target = buttons.find((b) => b.tabIndex === 0);
      if (target) target.focus();
    };
    return list;
  }

  async function renderContent() {
    const view = state.root;
    await loadPublished();
    await loadEntries();
    if (state.view === "versions") return renderVersions(view);
    const split = node("div", { class: "split" + (state.open ? " open" : "") });
    const search = node("input", { type: "search", id: "entry-search", value: state.query,
      placeholder: "编号、问题里的字或标签", autocomplete: "off" });
    const count = node("p", { class: "muted", id: "entry-count", "aria-live": "polite" });
    const listHolder = node("div");
    const more = node("button", { id: "more-entries", onclick: () => {
      state.shown += pageSize;
      drawList();
    } }, "显示更多");
    const pane = node("div", { class: "pane-form", id: "entry-pane" });
    let list = null;

    const drawList = () => {
      const scored = state.entries.map((entry) => [entry, matches(entry, state.query)])
        .filter(([, score]) => score > 0);
      if (state.query.trim()) scored.sort((a, b) => b[1] - a[1]);
      const found = scored.map(([entry]) => entry);
      const visible = found.slice(0, state.shown);
      count.textContent = "共 " + state.entries.length + " 条" +
        (state.query.trim() ? "，找到 " + found.length + " 条" : "") +
        (visible.length < found.length ? "，显示前 " + visible.length + " 条" : "");
      list = entryList(visible, state.open && state.open.original, (entry) => openEntry(entry), "entry-list");
      listHolder.replaceChildren(list);
      more.hidden = visible.length >= found.length;
    };

    const showPane = () => {
      if (state.open) {
        pane.replaceChildren(state.open.root);
      } else {
        pane.replaceChildren(node("div", { class: "card" },
          node("p", { class: "muted" }, "在左边选一个条目来修改，或者先试问一下机器人现在怎么回答。"),
          tryBox(() => Promise.resolve(true))));
      }
      split.classList.toggle("open", !!state.open);
    };

    const openEntry = (entry, isNew) => {
      if (state.open && state.open.dirty && !state.open.leave) {
        state.open.leave = true;
        status(state.open.status, "这个条目有未保存的修改：先点“保存草稿”，或者再点一次别的条目放弃修改。");
        state.open.status.scrollIntoView({ block: "nearest" });
        return;
      }
      const copy = JSON.parse(JSON.stringify(entry));
      state.open = entryForm(copy, { kind: isNew ? "new" : "edit" }, saved, back);
      showPane();
      drawList();
      state.open.heading.focus();
    };
    const back = () => {
      if (state.open && state.open.dirty && !state.open.leave) {
        state.open.leave = true;
        status(state.open.status, "这个条目有未保存的修改：先点“保存草稿”，或者再点一次“返回列表”放弃修改。");
        return;
      }
      const id = state.open && state.open.original;
      state.open = null;
      showPane();
      drawList();
      const again = list.querySelector('[data-id="' + CSS.escape(id || "") + '"]');
      if (again) again.focus();
      else search.focus();
    };
    // After a save the list shows the new version; the form stays open on the saved entry.
    const saved = (id, message) => guarded(async () => {
      const form = state.open;
      const entry = id && state.entries.find((e) => e.id === id);
      if (!entry) state.open = null;
      barHolder.replaceChildren(versionBar(renderContent));
      if (message) status(barHolder.querySelector("#bar-status"), message, true);
      drawList();
      if (!entry) showPane();
      else if (form) {
        form.original = id;
        form.mode.kind = "edit";
        form.heading.textContent = "编辑条目";
      }
    });

    search.addEventListener("input", () => {
      state.query = search.value;
      state.shown = pageSize;
      drawList();
    });
    search.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        list.focusFirst();
      } else if (event.key === "Enter") {
        event.preventDefault();
        list.focusFirst();
      }
    });

    const barHolder = node("div", {}, versionBar(renderContent));
    split.append(
      node("div", { class: "pane-list" },
        node("label", { for: "entry-search" }, "搜索条目"), search,
        node("div", { class: "actions" },
          node("button", { id: "new-entry", onclick: () => openEntry({ id: "", questions: [], answer: "",
            legal_basis: [], tags: [], districts: [], legal: true, handoff: false }, true) }, "新建条目")),
        count, listHolder, more),
      pane);
    drawList();
    showPane();
    view.replaceChildren(barHolder, split);
  }

  // ------------------------------------------------------------------- versions, rollback

  async function renderVersions(view) {
    const data = await call("GET", contentApi + "versions");
    const message = node("div", { class: "status", role: "status", id: "versions-status" });
    const list = node("ul", { class: "plain", id: "version-list", "aria-label": "版本列表" });
    const redraw = () => guarded(() => renderContent());
    for (const v of data.versions) {
      const badges = [];
      if (v.version === state.published) badges.push(node("span", { class: "tag ok" }, "线上"));
      if (v.version === state.working && v.version !== state.published)
        badges.push(node("span", { class: "tag" }, "正在编辑的草稿"));
      const actions = node("div", { class: "actions" });
      if (v.version !== state.published) {
        const older = v.version < state.published;
        const ask = node("button", { class: older ? "danger" : "primary", "data-version": String(v.version),
          onclick: () => {
            ask.hidden = true;
            sure.hidden = false;
            sure.querySelector("button").focus();
          } }, older ? "回滚到此版本" : "发布此版本");
        const sure = node("div", { class: "actions", hidden: true },
          node("span", {}, older ? "司机将重新看到版本 " + v.version + " 的内容。" : "发布版本 " + v.version + "？"),
          node("button", { class: "danger", id: "confirm-" + v.version, onclick: () => guarded(async () => {
            await publish(v.version, message);
            const said = message.textContent;
            await renderContent();
            status(state.root.querySelector("#versions-status"), said, true);
          }) }, "确定"),
          node("button", { onclick: () => {
            sure.hidden = true;
            ask.hidden = false;
            ask.focus();
          } }, "取消"));
        actions.append(ask, sure);
      }
      if (v.version !== state.working)
        actions.append(node("button", { onclick: () => guarded(async () => {
          setWorking(v.version);
          state.view = "entries";
          state.open = null;
          await renderContent();
        }) }, "在此版本上修改"));
      list.append(node("li", { class: "card", "data-version": String(v.version) },
        node("div", { class: "row" }, node("strong", {}, "版本 " + v.version, ...badges),
          node("span", { class: "muted" }, v.label)),
        node("div", { class: "muted" }, "上传：" + (v.uploaded_by || "—") + " · " + when(v.uploaded_at)),
        v.published_at ? node("div", { class: "muted" }, "最近发布：" + (v.published_by || "—") + " · " +
          when(v.published_at)) : null,
        actions));
    }
    view.replaceChildren(versionBar(redraw),
      node("button", { id: "back-to-entries", onclick: () => guarded(async () => {
        state.view = "entries";
        await renderContent();
      }) }, "← 返回条目"),
      node("h2", { tabindex: "-1", id: "versions-title" }, "版本与回滚"),
      node("p", { class: "muted" }, "每次保存都会生成一个新版本，旧版本一直保留。回滚就是重新发布一个旧版本。"),
      message, list);
    view.querySelector("#versions-title").focus();
  }

  // --------------------------------------------------------------------- the missed inbox

  async function dismissMembers(group) {
    for (const member of group.members || [])
      if (member.id !== group.id)
        await call("POST", missedApi + "/" + member.id + "/dismiss").catch(() => null);
  }

  async function renderMissed() {
    const view = state.root;
    await loadPublished();
    await loadEntries();
    const listHolder = node("div", { id: "missed-list-holder" });
    const message = node("div", { class: "status", role: "status", id: "missed-status" });
    const updated = node("span", { class: "muted", id: "missed-updated" });
    const refresh = node("button", { id: "missed-refresh", onclick: () => guarded(() => load(true)) }, "刷新");

    let loading = false;
    const load = async (force) => {
      if (loading && !force) return;
      loading = true;
      let data;
      try {
        data = await call("GET", missedApi + "?limit=500");
      } finally {
        loading = false;
      }
      const key = JSON.stringify(data.groups.map((g) => [g.id, g.count, g.members.length]));
      updated.textContent = "更新于 " + new Date().toLocaleTimeString("zh-CN", { hour12: false });
      if (!force && key === state.missedKey) return;
      state.missedKey = key;
      const focused = document.activeElement && document.activeElement.dataset
        ? document.activeElement.dataset.focusKey : null;
      draw(data.groups);
      if (focused) {
        const again = listHolder.querySelector('[data-focus-key="' + CSS.escape(focused) + '"]');
        if (again) again.focus();
      }
    };

    const draw = (groups) => {
      if (!groups.length) {
        listHolder.replaceChildren(node("p", { class: "card", id: "missed-empty" }, "没有漏答的问题。"));
        return;
      }
      const list = node("ul", { class: "plain", id: "missed-list", "aria-label": "漏答的问题" });
      for (const group of groups) {
        const details = node("details", { open: state.expanded.has(group.id) },
          node("summary", { "data-focus-key": group.id + ":more" }, "相似的问法（" + group.members.length + "）"),
          node("ul", {}, ...group.members.map((m) =>
            node("li", {}, m.text, node("span", { class: "muted" }, " ×" + m.count)))));
        details.addEventListener("toggle", () => {
          if (details.open) state.expanded.add(group.id);
          else state.expanded.delete(group.id);
        });
        list.append(node("li", { class: "card missed", "data-id": group.id },
          node("div", { class: "row" }, node("strong", { class: "missed-text" }, group.text),
            node("span", { class: "count" }, "问了 " + group.count + " 次")),
          node("div", { class: "muted" }, (outcomeNames[group.outcome] || group.outcome) + " · 最近一次 " +
            when(group.last_at)),
          group.members.length > 1 ? details : null,
          node("div", { class: "actions" },
            node("button", { class: "primary", "data-focus-key": group.id + ":new",
              onclick: () => promoteNew(group) }, "写成新条目"),
            node("button", { "data-focus-key": group.id + ":variant",
              onclick: () => guarded(() => promoteVariant(group)) }, "加到已有条目"),
            node("button", { "data-focus-key": group.id + ":dismiss", onclick: () => guarded(async () => {
              await call("POST", missedApi + "/" + group.id + "/dismiss");
              await dismissMembers(group);
              status(message, "已忽略：" + group.text, true);
              await load(true);
              const next = listHolder.querySelector("button");
              if (next) next.focus();
            }) }, "忽略"))));
      }
      listHolder.replaceChildren(list);
    };

    const showList = async () => {
      stop();
      state.missedKey = "";
      view.replaceChildren(versionBar(renderMissed),
        node("h2", {}, "漏答：机器人没能直接回答的问题"),
        node("p", { class: "muted" }, "按被问的次数排列，相似的问题合在一起。姓名、电话、身份证号、车牌等已换成〔姓名〕这样的占位符。"),
        node("div", { class: "actions" }, refresh, updated), message, listHolder);
      await load(true);
      state.timer = setInterval(() => {
        if (document.visibilityState === "visible") load(false).catch(() => null);
      }, missedPollMs);
    };

    const promoteNew = (group) => {
      stop();
      const f = entryForm({ id: "", questions: [group.text], answer: "", legal_basis: [], tags: [],
        districts: [], legal: true, handoff: false }, { kind: "promote", group },
        (id, note, live) => guarded(async () => {
          view.querySelector("#version-bar").parentNode.replaceWith(versionBar(renderMissed));
          if (!live) status(f.status, "已保存为草稿版本 " + state.working + "。可以试问，确认后点上面的“发布草稿”。", true);
          backButton.textContent = "← 返回漏答列表（已处理）";
        }), () => guarded(showList));
      const backButton = f.root.querySelector("#form-back");
      view.replaceChildren(versionBar(renderMissed),
        node("p", { class: "muted" }, "原问题：" + group.text + "（问了 " + group.count + " 次）。请把〔姓名〕之类的占位符改成一般的说法。"),
        f.root);
      f.heading.focus();
    };

    const promoteVariant = async (group) => {
      stop();
      let chosen = null;
      const question = node("input", { id: "variant-question", value: group.text, autocomplete: "off" });
      const search = node("input", { type: "search", id: "variant-search", autocomplete: "off",
        placeholder: "编号、问题里的字或标签" });
      const holder = node("div");
      const picked = node("p", { id: "variant-picked", "aria-live": "polite" }, "还没有选条目");
      const errors = node("div", { class: "error", role: "alert", id: "variant-errors", hidden: true });
      const note = node("div", { class: "status", role: "status", id: "variant-status" });
      let list = null;
      let suggested = [];  // the entries the bot found closest to the question
      const hint = node("p", { class: "muted", id: "variant-hint" });
      const draw = () => {
        let found = state.entries.map((e) => [e, matches(e, search.value)]).filter(([, s]) => s > 0)
          .sort((a, b) => b[1] - a[1]).slice(0, 30).map(([e]) => e);
        if (!search.value.trim()) found = suggested;
        hint.textContent = search.value.trim() ? "" : suggested.length
          ? "机器人觉得最接近的条目（也可以在上面搜索）：" : "在上面输入编号、问题里的字或标签来找条目。";
        list = entryList(found, chosen && chosen.id, (entry) => {
          chosen = entry;
          picked.textContent = "已选：" + entry.id + " —— " + (entry.questions[0] || "");
          draw();
          holder.querySelector('[data-id="' + CSS.escape(entry.id) + '"]').focus();
        }, "variant-list");
        holder.replaceChildren(list);
      };
      search.addEventListener("input", draw);
      search.addEventListener("keydown", (event) => {
        if (event.key === "ArrowDown" || event.key === "Enter") {
          event.preventDefault();
          list.focusFirst();
        }
      });
      const add = (live) => guarded(async () => {
        errors.hidden = true;
        if (!chosen) {
          errors.hidden = false;
          errors.textContent = "请先在下面的列表里选一个条目";
          search.focus();
          return;
        }
        let result;
        try {
          result = await call("POST", missedApi + "/" + group.id + "/promote",
            { entry: chosen.id, question: question.value.trim(), base: state.working, publish: live });
        } catch (e) {
          if (e.status !== 422 || !e.data || !e.data.errors) throw e;
          errors.hidden = false;
          errors.replaceChildren(...e.data.errors.map((p) =>
            node("div", { class: "problem" }, explain(p, { id: chosen.id, questions: [] }).text)));
          question.setAttribute("aria-invalid", "true");
          question.focus();
          return;
        }
        question.removeAttribute("aria-invalid");
        await dismissMembers(group);
        setWorking(result.version);
        await loadEntries(true);
        if (live) {
          await publish(result.version, note, result.published);
        } else {
          status(note, "已加入条目 " + chosen.id + "，保存为草稿版本 " + result.version + "（还没有发布）", true);
        }
        view.querySelector("#version-bar").parentNode.replaceWith(versionBar(renderMissed));
      });
      view.replaceChildren(versionBar(renderMissed),
        node("div", { class: "card", id: "variant-form" },
          node("button", { id: "form-back", onclick: () => guarded(showList) }, "← 返回漏答列表"),
          node("h2", { tabindex: "-1", id: "variant-title" }, "把这个问题加到已有条目"),
          node("label", { for: "variant-question" }, "问法（可以修改；请把〔姓名〕等占位符改成一般的说法）"), question,
          node("label", { for: "variant-search" }, "找条目"), search, hint, holder, picked, errors,
          node("div", { class: "actions" },
            node("button", { class: "primary", id: "variant-save", onclick: () => add(false) }, "加入并保存草稿"),
            node("button", { id: "variant-publish", onclick: () => add(true) }, "加入并发布")),
          note));
      draw();
      view.querySelector("#variant-title").focus();
      const preview = await call("POST", contentApi + "versions/" + state.working + "/preview",
        { questions: [group.text] }).catch(() => null);
      const ids = preview ? preview.results[0].hits.map((hit) => hit.id) : [];
      suggested = ids.map((id) => state.entries.find((e) => e.id === id)).filter((e) => e);
      if (!search.value.trim()) draw();
    };

    await showList();
  }

  function stop() {
    if (state.timer) clearInterval(state.timer);
    state.timer = null;
  }

  window.kayouContent = {
    render: async (tab, view) => {
      stop();
      state.root = view;
      if (tab === "content") {
        state.view = "entries";
        if (state.open && !state.open.dirty) state.open = null;
        await renderContent();
      } else {
        await renderMissed();
      }
    },
    stop,
  };
  if (window.kayouStart) window.kayouStart();
})();

// The 账号 tab of the admin console (docs/admin-api.md "Accounts"), for the city admin only:
// open accounts for district reviewers, content editors and the legal desk, see who made them and
// when they were last used, and revoke one after a confirmation. A new account's token is shown
// exactly once, right after it is made. Loaded after console.js and uses its helpers ($, el, call,
// showError, confirmPanel); as there, everything shown goes in with textContent only.
"use strict";

(() => {
  const accountsApi = "/admin/api/accounts";
  const roleNames = {
    city_admin: "市总工会管理员", district_admin: "区县审核员", faq_editor: "内容编辑",
    legal_desk: "法律服务台",
  };
  const creatable = ["district_admin", "faq_editor", "legal_desk"];
  let root = null;
  let fresh = null;  // {name, token} of the account just made: shown until dismissed or left

  const when = (seconds) => new Date(seconds * 1000).toLocaleString("zh-CN", { hour12: false });

  function tokenBox() {
    if (!fresh) return null;
    const input = el("input", { id: "account-token", readonly: "readonly", "aria-label": "新账号的令牌" });
    input.value = fresh.token;
    input.addEventListener("focus", () => input.select());
    const copied = el("span", { class: "muted", role: "status", id: "account-token-copied" });
    const copy = el("button", { id: "account-token-copy", type: "button" }, "复制令牌");
    copy.addEventListener("click", async () => {
      input.focus();
      try {
        await navigator.clipboard.writeText(fresh.token);
        copied.textContent = "已复制";
      } catch (e) {
        copied.textContent = "请长按或按 Ctrl+C 复制";
      }
    });
    const done = el("button", { id: "account-token-done", class: "primary", type: "button" }, "我已保存，关闭");
    done.addEventListener("click", () => {
      fresh = null;
      render(root).catch((e) => showError(e.message));
    });
    return el("div", { class: "confirm", id: "account-token-box", role: "region", "aria-label": "新账号的令牌" },
      el("p", {}, el("strong", {}, "账号「" + fresh.name + "」已建立。")),
      el("p", {}, "令牌只显示这一次：请现在复制，当面或通过安全渠道交给本人。离开本页后无法再查看；丢了只能吊销后重新建立。"),
      input, el("div", { class: "actions" }, copy, done, copied));
  }

  function createForm(districts) {
    const name = el("input", { id: "account-name", maxlength: "32", autocomplete: "off" });
    const role = el("select", { id: "account-role" },
      ...creatable.map((r) => el("option", { value: r }, roleNames[r])));
    const boxes = districts.map((d) => {
      const box = el("input", { type: "checkbox", value: d.id, "data-district": d.id });
      return el("label", { class: "check" }, box, d.name);
    });
    const districtSet = el("fieldset", { id: "account-districts" }, el("legend", {}, "负责的区县（可多选）"), ...boxes);
    const showDistricts = () => { districtSet.hidden = role.value !== "district_admin"; };
    role.addEventListener("change", showDistricts);
    showDistricts();
    const problem = el("p", { class: "field-error", id: "account-form-error", role: "alert" });
    const submit = el("button", { class: "primary", id: "account-create", type: "submit" }, "新建账号");
    const form = el("form", { class: "card", id: "account-form" },
      el("h3", {}, "新建账号"),
      el("label", {}, "姓名（登录后显示，也记入操作日志）", name),
      el("label", {}, "角色", role), districtSet, problem, submit);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      problem.textContent = "";
      const chosen = [...districtSet.querySelectorAll("input:checked")].map((b) => b.value);
      if (!name.value.trim()) {
        problem.textContent = "请填写姓名";
        name.focus();
        return;
      }
      if (role.value === "district_admin" && !chosen.length) {
        problem.textContent = "区县审核员至少要选一个区县";
        return;
      }
      submit.disabled = true;
      try {
        const body = { name: name.value.trim(), role: role.value };
        if (role.value === "district_admin") body.districts = chosen;
        const made = await call("POST", accountsApi, body);
        fresh = { name: made.name, token: made.token };
        await render(root);
        $("account-token").focus();
      } catch (e) {
        problem.textContent = e.message;
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  function accountCard(a, you) {
    const active = a.status === "active";
    const districts = a.districts.map((d) => d.name).join("、");
    const confirmSlot = el("div");
    const card = el("div", { class: "card", "data-account": a.id },
      el("div", { class: "row" },
        el("strong", {}, a.name, el("span", { class: "tag" }, roleNames[a.role] || a.role),
          a.id === you ? el("span", { class: "tag" }, "您自己") : null),
        el("span", { class: active ? "ok" : "late" }, active ? "使用中" : "已吊销")),
      districts ? el("div", { class: "muted" }, "区县：" + districts) : null,
      el("div", { class: "muted" }, "由 " + a.created_by + " 建立于 " + when(a.created_at)),
      el("div", { class: "muted" }, a.last_used_at ? "最近使用：" + when(a.last_used_at) : "从未使用"),
      active ? null : el("div", { class: "muted" }, "由 " + a.revoked_by + " 吊销于 " + when(a.revoked_at)));
    if (active && a.id !== you) {
      const button = el("button", { class: "danger", "data-revoke": a.id }, "吊销");
      button.addEventListener("click", () => {
        const panel = confirmPanel("revoke-confirm",
          ["确定吊销「" + a.name + "」（" + (roleNames[a.role] || a.role) + "）的账号？",
            el("p", {}, "吊销后这个令牌在所有服务器上一秒内失效，正在使用的页面会退出登录。不能撤销：以后需要时请重新建立账号。")],
          "确定吊销",
          async () => {
            try {
              await call("POST", accountsApi + "/" + encodeURIComponent(a.id) + "/revoke");
              await render(root);
              const status = $("accounts-status");
              if (status) status.textContent = "已吊销「" + a.name + "」的账号。";
            } catch (e) {
              showError(e.message);
            }
          },
          () => {
            confirmSlot.replaceChildren();
            button.focus();
          });
        confirmSlot.replaceChildren(panel);
        $("revoke-confirm-yes").focus();
      });
      card.append(el("div", { class: "actions" }, button), confirmSlot);
    }
    return card;
  }

  async function render(view) {
    root = view;
    const data = await call("GET", accountsApi);
    const active = data.accounts.filter((a) => a.status === "active");
    const revoked = data.accounts.filter((a) => a.status !== "active");
    const list = el("div", { id: "account-list" });
    if (!active.length) list.append(el("p", { class: "muted" }, "还没有账号。"));
    for (const a of active) list.append(accountCard(a, data.you));
    const old = el("details", { id: "account-revoked" },
      el("summary", {}, "已吊销的账号（" + revoked.length + "）"), ...revoked.map((a) => accountCard(a, data.you)));
    const config = el("p", { class: "muted", id: "account-config" },
      "配置文件中的令牌（只能由运维在配置中修改）：" +
      data.config_accounts.map((c) => c.name + "（" + (roleNames[c.role] || c.role) + "）").join("、"));
    view.replaceChildren(
      el("h2", {}, "账号管理"),
      el("p", { class: "muted" }, "为区县审核员、内容编辑和法律服务台开设账号。每人一个账号；离岗或令牌外泄时立即吊销。"),
      el("p", { class: "status ok", role: "status", id: "accounts-status" }),
      ...[tokenBox()].filter(Boolean),
      createForm(data.districts),
      el("h3", {}, "使用中的账号（" + active.length + "）"), list, old, config);
  }

  window.kayouAccounts = {
    render,
    // Leaving the tab forgets a token that is still on screen: it is shown once.
    stop: () => { fresh = null; },
  };
})();

/* The clerks' case queue: filters, the department's queue page by page, a case with its answers,
   files and history, the actions (claim, ask for information, decide, complete) and the counter's
   QR scan. Every read of a case is written to the audit log by the server. */
"use strict";

(function () {
  const api = window.StaffApi;
  const lang = (navigator.language || "ja").toLowerCase().startsWith("en") ? "en" : "ja";
  const TEXT = {
    ja: { title: "申請の処理（職員用）", email: "メールアドレス", password: "パスワード", logIn: "ログイン", logOut: "ログアウト",
      overdueOnly: "期限超過のみ", overdue: "期限超過", receipt: "受付番号", procedure: "手続き", status: "状況", due: "処理期限",
      more: "さらに表示", empty: "該当する申請はありません。", claim: "受付する（審査開始）", approve: "承認", complete: "完了",
      requestInfo: "追加情報を依頼", reject: "不承認", answers: "申請内容", attachments: "添付ファイル", history: "履歴",
      infoMessage: "住民への確認事項", rejectReason: "不承認の理由", search: "受付番号・氏名", scan: "QRコードを読み取り",
      openStatuses: "未完了すべて", allProcedures: "すべての手続き", visit: "来庁予約", yes: "はい", no: "いいえ" },
    en: { title: "Applications (staff)", email: "E-mail", password: "Password", logIn: "Log in", logOut: "Log out",
      overdueOnly: "Overdue only", overdue: "Overdue", receipt: "Receipt", procedure: "Procedure", status: "Status", due: "Due",
      more: "More", empty: "No cases match.", claim: "Claim (start review)", approve: "Approve", complete: "Complete",
      requestInfo: "Ask for information", reject: "Reject", answers: "Answers", attachments: "Attachments", history: "History",
      infoMessage: "What the resident should tell us", rejectReason: "Reason for rejection", search: "Receipt no. or name",
      scan: "Scan a QR code", openStatuses: "All open", allProcedures: "All procedures", visit: "Counter visit", yes: "Yes", no: "No" },
  }[lang];
  const STATUSES = ["AWAITING_PAYMENT", "AWAITING_VISIT", "SUBMITTED", "IN_REVIEW", "NEEDS_INFO", "APPROVED", "REJECTED", "COMPLETED", "WITHDRAWN"];
  const NODE = `id receiptNumber status statusLabel overdue dueAt submittedAt procedure { code name }`;
  const QUEUE = `query($status: CaseStatus, $procedure: String, $overdue: Boolean!, $search: String, $after: String) {
    caseQueue(status: $status, procedureCode: $procedure, overdue: $overdue, search: $search, first: 25, after: $after) {
      edges { cursor node { ${NODE} } } pageInfo { hasNextPage endCursor } } }`;
  const DETAIL = `${NODE} applicantName claimedBy answers decisionReason
    procedure { code name uiSchema } counterVisit { start end }
    attachments { id fieldKey filename contentType size url }
    history { at kind fromStatus toStatus message byStaff byResident }`;
  const CASE = `query($id: ID!) { case(id: $id) { ${DETAIL} } }`;
  const SCAN = `query($code: String!) { counterCase(code: $code) { ${DETAIL} } }`;
  const ACTIONS = {
    claim: "mutation($id: ID!) { claimCase(caseId: $id) { id } }",
    info: "mutation($id: ID!, $m: String!) { requestInfo(caseId: $id, message: $m) { id } }",
    decide: "mutation($id: ID!, $d: CaseDecision!, $r: String) { decideCase(caseId: $id, decision: $d, reason: $r) { id } }",
    complete: "mutation($id: ID!) { completeCase(caseId: $id) { id } }",
  };

  const $ = (id) => document.getElementById(id);
  let current = null, cursor = null;

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([key, value]) => {
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value); else node.setAttribute(key, value);
    });
    children.flat().forEach((child) => node.append(child instanceof Node ? child : document.createTextNode(String(child ?? ""))));
    return node;
  }
  // Japan time, whatever the browser's own zone: the city's staff and its residents live by it.
  const when = (iso) =>
    new Date(iso).toLocaleString(lang === "ja" ? "ja-JP" : "en-GB", {
      dateStyle: "short",
      timeStyle: "short",
      timeZone: "Asia/Tokyo",
    });

  function translatePage() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-text]").forEach((node) => { node.textContent = TEXT[node.dataset.text]; });
    document.querySelectorAll("[data-placeholder]").forEach((node) => { node.placeholder = TEXT[node.dataset.placeholder]; });
  }

  async function fillFilters() {
    $("status-filter").replaceChildren(el("option", { value: "" }, TEXT.openStatuses), ...STATUSES.map((s) => el("option", { value: s }, s)));
    const data = await api.gql("{ procedures { code name } }");
    $("procedure-filter").replaceChildren(el("option", { value: "" }, TEXT.allProcedures),
      ...data.procedures.map((p) => el("option", { value: p.code }, p.name)));
  }

  async function loadQueue(append) {
    const data = await api.gql(QUEUE, {
      status: $("status-filter").value || null, procedure: $("procedure-filter").value || null,
      overdue: $("overdue-filter").checked, search: $("search").value.trim() || null, after: append ? cursor : null });
    const page = data.caseQueue;
    const rows = page.edges.map(({ node }) => el("tr", { "data-id": node.id, class: current === node.id ? "selected" : "", onclick: () => openCase(node.id) },
      el("td", {}, node.receiptNumber), el("td", {}, node.procedure.name),
      el("td", {}, el("span", { class: `status ${node.status}` }, node.statusLabel)),
      el("td", { class: node.overdue ? "overdue" : "" }, when(node.dueAt))));
    if (append) $("queue").append(...rows); else $("queue").replaceChildren(...rows);
    cursor = page.pageInfo.endCursor;
    $("more").hidden = !page.pageInfo.hasNextPage;
    $("queue-empty").hidden = $("queue").children.length > 0;
  }

  /* An answer as a person reads it: a choice by its label, yes/no, a list one item a line. */
  function answerText(value, field) {
    const options = (field && field.options) || {};
    if (value === true) return TEXT.yes;
    if (value === false) return TEXT.no;
    if (Array.isArray(value)) return value.map((item) => answerText(item, field)).join("\n");
    if (value && typeof value === "object") return Object.values(value).map((part) => answerText(part)).join(" ");
    if (options[String(value)]) return options[String(value)][lang] || String(value);
    return String(value ?? "");
  }

  function showCase(item) {
    current = item.id;
    document.querySelectorAll("#queue tr").forEach((row) => row.classList.toggle("selected", row.dataset.id === item.id));
    $("case").hidden = false;
    $("case").dataset.id = item.id;
    $("case-receipt").textContent = item.receiptNumber;
    $("case-procedure").textContent = item.procedure.name;
    $("case-status").textContent = item.statusLabel;
    $("case-status").className = `status ${item.status}`;
    $("case-status").dataset.status = item.status;
    $("case-applicant").textContent = item.applicantName || "";
    $("case-overdue").hidden = !item.overdue;
    $("case-visit").textContent = item.counterVisit ? `${TEXT.visit}: ${when(item.counterVisit.start)}` : "";
    const ui = item.procedure.uiSchema;
    $("case-answers").replaceChildren(...ui.order.filter((key) => key in item.answers).flatMap((key) => [
      el("dt", {}, (ui.fields[key].label || {})[lang] || key), el("dd", { "data-key": key }, answerText(item.answers[key], ui.fields[key]))]));
    $("case-attachments").replaceChildren(...item.attachments.map((file) => el("li", {},
      file.url ? el("a", { href: file.url, target: "_blank", rel: "noopener" }, file.filename || file.fieldKey) : file.filename,
      ` (${Math.ceil(file.size / 1024)} KB)`)));
    $("case-history").replaceChildren(...item.history.map((event) => el("li", {},
      `${when(event.at)} ${event.toStatus || event.kind}`, event.message ? ` — ${event.message}` : "")));
    $("claim").hidden = !["SUBMITTED", "AWAITING_VISIT"].includes(item.status);
    $("approve").hidden = $("reject-form").hidden = $("info-form").hidden = item.status !== "IN_REVIEW";
    $("complete").hidden = !["APPROVED", "REJECTED"].includes(item.status);
    $("case-error").textContent = "";
  }

  async function openCase(id) {
    try { showCase((await api.gql(CASE, { id })).case); } catch (error) { $("case-error").textContent = error.message; }
  }

  async function act(query, variables) {
    try {
      await api.gql(query, { id: current, ...variables });
      await openCase(current);
      await loadQueue(false);
    } catch (error) { $("case-error").textContent = error.message; }
  }

  async function start() {
    translatePage();
    const session = api.session();
    if (!session) { $("login").hidden = false; $("app").hidden = true; return; }
    $("login").hidden = true; $("app").hidden = false;
    $("who").textContent = `${session.staff.displayName} (${session.staff.departmentCode})`;
    await fillFilters();
    await loadQueue(false);
    const hash = new URLSearchParams(location.hash.slice(1));
    if (hash.get("code")) await scan(hash.get("code"));
  }

  async function scan(code) {
    try { showCase((await api.gql(SCAN, { code })).counterCase); await loadQueue(false); }
    catch (error) { $("case").hidden = false; $("case-error").textContent = error.message; }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("login-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      try { await api.logIn($("login-email").value, $("login-password").value); await start(); }
      catch (error) { $("login-error").textContent = error.message; }
    });
    $("log-out").addEventListener("click", async () => { await api.logOut(); start(); });
    ["status-filter", "procedure-filter", "overdue-filter"].forEach((id) => $(id).addEventListener("change", () => loadQueue(false)));
    $("search").addEventListener("change", () => loadQueue(false));
    $("more").addEventListener("click", () => loadQueue(true));
    $("scan-form").addEventListener("submit", (event) => { event.preventDefault(); scan($("scan-code").value.trim()); $("scan-code").value = ""; });
    $("claim").addEventListener("click", () => act(ACTIONS.claim));
    $("approve").addEventListener("click", () => act(ACTIONS.decide, { d: "APPROVE", r: null }));
    $("complete").addEventListener("click", () => act(ACTIONS.complete));
    $("info-form").addEventListener("submit", (event) => { event.preventDefault(); act(ACTIONS.info, { m: $("info-message").value }); $("info-message").value = ""; });
    $("reject-form").addEventListener("submit", (event) => { event.preventDefault(); act(ACTIONS.decide, { d: "REJECT", r: $("reject-reason").value }); });
    start();
  });
})();

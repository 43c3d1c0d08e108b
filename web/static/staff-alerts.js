/* Alert delivery progress for the crisis-management staff: the alerts, and for the chosen one
   how many residents it targets and how many each channel has sent, delivered, failed or left
   in doubt, refreshed every few seconds while the page is open. */
"use strict";

(function () {
  const api = window.StaffApi;
  const lang = (navigator.language || "ja").toLowerCase().startsWith("en") ? "en" : "ja";
  const REFRESH_MS = 3000;
  const TEXT = {
    ja: { title: "緊急通報の配信状況（職員用）", email: "メールアドレス", password: "パスワード", logIn: "ログイン",
      logOut: "ログアウト", empty: "通報はありません。", channel: "経路", targeted: "対象", sent: "送信",
      delivered: "配信済み", failed: "失敗", unknown: "不明", total: "住民（合計）", telegram: "Telegram",
      push: "アプリ通知", email_: "メール", in_app: "アプリ内一覧", exercise: "訓練・テスト", refreshed: "更新",
      summary: (d, t) => `${t} 人中 ${d} 人に配信済み`,
      unknownNote: "「不明」は送信中に送信側が停止したもので、再送しません（重複を避けるため）。" },
    en: { title: "Alert delivery (staff)", email: "E-mail", password: "Password", logIn: "Log in", logOut: "Log out",
      empty: "No alerts.", channel: "Channel", targeted: "Targeted", sent: "Sent", delivered: "Delivered",
      failed: "Failed", unknown: "Unknown", total: "Residents (total)", telegram: "Telegram", push: "App push",
      email_: "E-mail", in_app: "In-app list", exercise: "Exercise / test", refreshed: "Updated",
      summary: (d, t) => `${d} of ${t} residents reached`,
      unknownNote: "\"Unknown\": the sender stopped while the message was on its way; it is not sent again (never twice)." },
  }[lang];
  const ALERTS = "{ alerts { id headline event status msgType sent } }";
  const COUNTS = "targeted sent delivered failed unknown";
  const DELIVERY = `query($id: ID!) { alertDelivery(id: $id) { ${COUNTS} byChannel { channel ${COUNTS} } } }`;
  const CHANNELS = ["push", "telegram", "email", "in_app"];

  const $ = (id) => document.getElementById(id);
  let alerts = [], current = null, timer = null;

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([key, value]) => {
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value); else node.setAttribute(key, value);
    });
    children.flat().forEach((child) => node.append(child instanceof Node ? child : document.createTextNode(String(child ?? ""))));
    return node;
  }
  const when = (iso) => new Date(iso).toLocaleString(lang === "ja" ? "ja-JP" : "en-GB",
    { dateStyle: "short", timeStyle: "medium", timeZone: "Asia/Tokyo" });
  const exercise = (alert) => alert.status === "EXERCISE" || alert.status === "TEST";

  function translatePage() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-text]").forEach((node) => { node.textContent = TEXT[node.dataset.text]; });
  }

  async function loadAlerts() {
    alerts = (await api.gql(ALERTS)).alerts;
    $("alerts").replaceChildren(...alerts.map((alert) => el("li",
      { "data-id": alert.id, class: alert.id === current ? "selected" : "", onclick: () => choose(alert.id) },
      exercise(alert) ? el("span", { class: "mark" }, `【${TEXT.exercise}】`) : "",
      alert.headline || alert.event, el("br"), el("small", {}, when(alert.sent)))));
    $("alerts-empty").hidden = alerts.length > 0;
  }

  function row(name, counts) {
    const label = name === "total" ? TEXT.total : TEXT[name === "email" ? "email_" : name] || name;
    return el("tr", { "data-channel": name }, el("td", {}, label),
      ...["targeted", "sent", "delivered", "failed", "unknown"].map((key) => el("td", { "data-count": key }, counts[key])));
  }

  async function showDelivery() {
    if (!current) return;
    try {
      const data = (await api.gql(DELIVERY, { id: current })).alertDelivery;
      const byChannel = Object.fromEntries(data.byChannel.map((c) => [c.channel, c]));
      $("channels").replaceChildren(row("total", data),
        ...CHANNELS.filter((name) => byChannel[name] && byChannel[name].targeted > 0).map((name) => row(name, byChannel[name])));
      const share = data.targeted ? Math.round((100 * data.delivered) / data.targeted) : 0;
      $("delivery-bar").style.width = `${share}%`;
      $("delivery").querySelector(".progress").setAttribute("aria-valuenow", String(share));
      $("delivery-summary").textContent = TEXT.summary(data.delivered, data.targeted);
      $("refreshed").textContent = `${TEXT.refreshed} ${when(new Date().toISOString())}`;
      $("delivery-error").textContent = "";
    } catch (error) { $("delivery-error").textContent = error.message; }
  }

  async function choose(id) {
    current = id;
    const alert = alerts.find((a) => a.id === id);
    document.querySelectorAll("#alerts li").forEach((item) => item.classList.toggle("selected", item.dataset.id === id));
    $("delivery").hidden = false;
    $("delivery").dataset.id = id;
    $("delivery-headline").textContent = (exercise(alert) ? `【${TEXT.exercise}】` : "") + (alert.headline || alert.event);
    $("delivery-status").textContent = `${alert.status} / ${alert.msgType}`;
    $("delivery-status").className = `status ${alert.status}`;
    $("delivery-sent").textContent = when(alert.sent);
    await showDelivery();
  }

  async function start() {
    translatePage();
    clearInterval(timer);
    const session = api.session();
    if (!session) { $("login").hidden = false; $("app").hidden = true; return; }
    $("login").hidden = true; $("app").hidden = false;
    $("who").textContent = `${session.staff.displayName} (${session.staff.departmentCode})`;
    try { await loadAlerts(); } catch (error) { $("delivery-error").textContent = error.message; return; }
    const wanted = new URLSearchParams(location.hash.slice(1)).get("alert");
    if (wanted && alerts.some((a) => a.id === wanted)) await choose(wanted);
    timer = setInterval(() => { if (!document.hidden) showDelivery(); }, REFRESH_MS);
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("login-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      try { await api.logIn($("login-email").value, $("login-password").value); await start(); }
      catch (error) { $("login-error").textContent = error.message; }
    });
    $("log-out").addEventListener("click", async () => { await api.logOut(); start(); });
    start();
  });
})();

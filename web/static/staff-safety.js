/* The staff safety-check page: an alert's answers counted, calls for help on the map and in a
   list (those not yet handled first), each marked handled with one button. Reloads itself. */
"use strict";

(function () {
  const api = window.StaffApi;
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const lang = (navigator.language || "ja").toLowerCase().startsWith("en") ? "en" : "ja";
  const TEXT = {
    ja: { title: "安否確認（職員用）", email: "メールアドレス", password: "パスワード", logIn: "ログイン", logOut: "ログアウト",
      refresh: "更新", helpNeeded: "助けが必要な方", byDistrict: "地区別", safe: "無事", atShelter: "避難所", needHelp: "要救助",
      total: "回答", district: "地区", handle: "対応済みにする", handledBy: "対応済み（{name}）", count: "{n} 件（未対応 {open} 件）",
      noAlert: "安否確認の対象となる緊急情報はありません。", answeredBy: "回答: {name}", noPlace: "位置情報なし" },
    en: { title: "Safety check (staff)", email: "E-mail", password: "Password", logIn: "Log in", logOut: "Log out",
      refresh: "Refresh", helpNeeded: "Calls for help", byDistrict: "By district", safe: "Safe", atShelter: "At a shelter",
      needHelp: "Need help", total: "Answers", district: "District", handle: "Mark handled", handledBy: "Handled ({name})",
      count: "{n} calls ({open} open)", noAlert: "No alert has a safety check.", answeredBy: "Answered by {name}",
      noPlace: "No location" },
  }[lang];
  const SUMMARY = `query($id: ID!) { safetySummary(alertId: $id) { safe atShelter needHelp total
    byDistrict { districtCode name safe atShelter needHelp } } }`;
  const HELP = `query($id: ID!) { safetyHelpNeeded(alertId: $id) {
    id personName answeredBy note lat lng districtCode answeredAt handledAt handledBy } }`;
  const HANDLE = `mutation($id: ID!) { markHelpHandled(id: $id) { id handledAt handledBy } }`;
  const REFRESH_MS = 20000;

  const $ = (id) => document.getElementById(id);
  let map = null, layer = null, timer = null;

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([key, value]) => {
      if (key === "class") node.className = value; else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    });
    children.flat().forEach((child) => node.append(child instanceof Node ? child : document.createTextNode(String(child ?? ""))));
    return node;
  }
  const when = (iso) => new Date(iso).toLocaleString(lang === "ja" ? "ja-JP" : "en-GB",
    { timeZone: "Asia/Tokyo", dateStyle: "short", timeStyle: "short" });

  function translatePage() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-text]").forEach((node) => { node.textContent = TEXT[node.dataset.text]; });
  }

  function renderCounts(summary) {
    $("counts").replaceChildren(...["safe", "atShelter", "needHelp", "total"].map((key) =>
      el("span", { "data-count": key }, `${TEXT[key]} `, el("b", {}, summary[key]))));
    $("districts").replaceChildren(
      el("tr", {}, ...[TEXT.district, TEXT.safe, TEXT.atShelter, TEXT.needHelp].map((name) => el("th", {}, name))),
      ...summary.byDistrict.map((row) => el("tr", { "data-district": row.districtCode || "" },
        el("td", {}, row.name), el("td", {}, row.safe), el("td", {}, row.atShelter), el("td", {}, row.needHelp))));
  }

  function renderHelp(calls) {
    const open = calls.filter((call) => !call.handledAt).length;
    $("help-count").textContent = TEXT.count.replace("{n}", calls.length).replace("{open}", open);
    $("help-list").replaceChildren(...calls.map((call) => el("li",
      { "data-id": call.id, class: call.handledAt ? "handled" : "" },
      el("strong", {}, call.personName),
      call.handledAt
        ? el("span", { class: "handled-by" }, TEXT.handledBy.replace("{name}", call.handledBy))
        : el("button", { type: "button", class: "handle", onclick: () => handle(call.id) }, TEXT.handle),
      el("span", { class: "line" }, `${when(call.answeredAt)} · ${call.lat === null ? TEXT.noPlace : ""}`,
        call.answeredBy !== call.personName ? ` · ${TEXT.answeredBy.replace("{name}", call.answeredBy)}` : ""),
      el("span", { class: "note" }, call.note))));
    layer.clearLayers();
    calls.filter((call) => call.lat !== null).forEach((call) => {
      const icon = L.divIcon({ className: "", html: `<div class="help-pin ${call.handledAt ? "handled" : ""}"></div>`,
        iconSize: [24, 24], iconAnchor: [12, 12] });
      L.marker([call.lat, call.lng], { icon, title: call.personName }).addTo(layer);
    });
  }

  async function load() {
    const id = $("alert-select").value;
    if (!id) return;
    try {
      const [summary, help] = await Promise.all([api.gql(SUMMARY, { id }), api.gql(HELP, { id })]);
      renderCounts(summary.safetySummary);
      renderHelp(help.safetyHelpNeeded);
      $("page-error").textContent = "";
    } catch (error) {
      $("page-error").textContent = error.message;
    }
  }

  async function handle(id) {
    try { await api.gql(HANDLE, { id }); } catch (error) { $("page-error").textContent = error.message; }
    await load();
  }

  async function start(staff) {
    $("login").hidden = true;
    $("app").hidden = false;
    $("who").textContent = `${staff.displayName} (${staff.departmentCode})`;
    map = L.map("map", { zoomControl: true });
    L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
    map.fitBounds(config.serviceArea);
    layer = L.layerGroup().addTo(map);
    const alerts = (await api.gql("{ safetyAlerts { id headline event } }")).safetyAlerts;
    $("alert-select").replaceChildren(...alerts.map((alert) => el("option", { value: alert.id }, alert.headline || alert.event)));
    if (!alerts.length) $("page-error").textContent = TEXT.noAlert;
    $("alert-select").addEventListener("change", load);
    $("refresh").addEventListener("click", load);
    $("log-out").addEventListener("click", async () => { await api.logOut(); location.reload(); });
    await load();
    timer = setInterval(load, REFRESH_MS);
  }

  translatePage();
  api.signIn(start);
})();

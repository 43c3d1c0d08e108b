/* The staff issue map: markers by status and category, filters, a list beside the map, a detail
   panel to change the status or assign, and live updates from the reportChanged subscription. */
"use strict";

(function () {
  const api = window.StaffApi;
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const lang = (navigator.language || "ja").toLowerCase().startsWith("en") ? "en" : "ja";
  const TEXT = {
    ja: { title: "通報マップ（職員用）", email: "メールアドレス", password: "パスワード", logIn: "ログイン", logOut: "ログアウト",
      overdueOnly: "期限超過のみ", overdue: "期限超過", changeStatus: "状態の変更", apply: "変更する", assign: "担当",
      assignButton: "割り当てる", history: "履歴", publicNote: "住民へのお知らせ（公開）", internalNote: "内部メモ（非公開）",
      allCategories: "すべての種類", count: "{n} 件（新しい順、最大500件）", hide: "非公開にする", show: "公開に戻す",
      hidePhoto: "写真を隠す", showPhoto: "写真を戻す", hidden: "非公開", unassigned: "（未割り当て）", reporter: "通報者",
      duplicateOf: "重複元の通報を選ぶ", noAddress: "住所確認中", internal: "内部" },
    en: { title: "Issue map (staff)", email: "E-mail", password: "Password", logIn: "Log in", logOut: "Log out",
      overdueOnly: "Overdue only", overdue: "Overdue", changeStatus: "Change status", apply: "Apply", assign: "Assignee",
      assignButton: "Assign", history: "History", publicNote: "Note to residents (public)", internalNote: "Internal note",
      allCategories: "All categories", count: "{n} reports (newest first, at most 500)", hide: "Hide from public",
      show: "Show again", hidePhoto: "Hide photo", showPhoto: "Show photo", hidden: "hidden", unassigned: "(unassigned)",
      reporter: "Reporter", duplicateOf: "Pick the original report", noAddress: "Address pending", internal: "internal" },
  }[lang];
  const STATUSES = {
    received: { ja: "受付", en: "Received", next: ["acknowledged", "rejected", "duplicate"] },
    acknowledged: { ja: "確認済み", en: "Acknowledged", next: ["in_progress", "resolved", "rejected", "duplicate"] },
    in_progress: { ja: "対応中", en: "In progress", next: ["resolved", "rejected", "duplicate"] },
    resolved: { ja: "対応済み", en: "Resolved", next: ["in_progress"] },
    rejected: { ja: "対応対象外", en: "Not taken up", next: [] },
    duplicate: { ja: "重複", en: "Duplicate", next: [] },
  };
  const OPEN = ["received", "acknowledged", "in_progress"];
  const FIELDS = `id receiptNumber lat lng status statusLabel description address createdAt overdue
    category { code name icon } staffDetails { hidden assignee { displayName } }`;
  const AREA = `query($box: BBoxInput!, $status: [ReportStatus!], $category: String, $overdue: Boolean!) {
    reportsInArea(bbox: $box, status: $status, categoryCode: $category, overdueOnly: $overdue, includeHidden: true) { ${FIELDS} } }`;
  const DETAIL = `query($id: ID!) { report(id: $id) { ${FIELDS} publicNote departmentName
    duplicateOf { receiptNumber } photos { id url thumbUrl hidden }
    history { kind at fromStatus toStatus note public actor }
    staffDetails { hidden hiddenReason reporterName reporterContact source departmentCode assignee { id displayName }
      answers { code values } } } }`;
  const LIVE = `subscription { reportChanged { id created removed report { ${FIELDS} } } }`;

  const $ = (id) => document.getElementById(id);
  const reports = new Map(); // id -> report as listed
  const markers = new Map(); // id -> Leaflet marker
  let map = null, selected = null, stopLive = null, loading = 0;

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([key, value]) => {
      if (key === "class") node.className = value; else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    });
    children.flat().forEach((child) => node.append(child instanceof Node ? child : document.createTextNode(String(child ?? ""))));
    return node;
  }
  const statusName = (status) => STATUSES[status] ? STATUSES[status][lang] : status;
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

  function filters() {
    const statuses = [...document.querySelectorAll("#status-filter input:checked")].map((input) => input.value);
    return { statuses, category: $("category-filter").value || null, overdue: $("overdue-filter").checked };
  }

  function matches(report) {
    const wanted = filters();
    const bounds = map.getBounds();
    return wanted.statuses.includes(report.status) && (!wanted.category || report.category.code === wanted.category)
      && (!wanted.overdue || report.overdue) && bounds.contains([report.lat, report.lng]);
  }

  function pinFor(report) {
    const classes = ["pin", report.status, report.overdue ? "overdue" : "", selected === report.id ? "selected" : ""].join(" ");
    return L.divIcon({ className: "", html: `<div class="${classes}"><span></span></div>`, iconSize: [30, 30], iconAnchor: [15, 30] });
  }

  function showMarker(report) {
    let marker = markers.get(report.id);
    if (!marker) {
      marker = L.marker([report.lat, report.lng], { title: report.receiptNumber, keyboard: true });
      marker.on("click", () => openDetail(report.id));
      marker.addTo(map);
      markers.set(report.id, marker);
    }
    marker.setLatLng([report.lat, report.lng]);
    marker.setIcon(pinFor(report));
    const icon = marker.getElement();
    if (icon) {
      icon.querySelector("span").textContent = report.category.icon || "•";
      icon.dataset.id = report.id;
      icon.dataset.status = report.status;
    }
  }

  function upsert(report) {
    if (!matches(report)) { remove(report.id); return; }
    reports.set(report.id, report);
    showMarker(report);
    renderList();
  }

  function remove(id) {
    reports.delete(id);
    const marker = markers.get(id);
    if (marker) { marker.remove(); markers.delete(id); }
    renderList();
  }

  function renderList() {
    const items = [...reports.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    $("count").textContent = TEXT.count.replace("{n}", items.length);
    $("list").replaceChildren(...items.map((report) => el("li",
      { class: selected === report.id ? "selected" : "", "data-id": report.id, onclick: () => openDetail(report.id) },
      el("span", { class: "icon" }, report.category.icon || "•"),
      el("span", {}, el("span", { class: `status ${report.status}` }, statusName(report.status)), " ",
        report.category.name, " ", report.overdue ? el("span", { class: "overdue" }, TEXT.overdue) : "",
        report.staffDetails && report.staffDetails.hidden ? el("span", { class: "hidden-mark" }, ` (${TEXT.hidden})`) : ""),
      el("span", { class: "line" }, `${report.receiptNumber} · ${when(report.createdAt)} · ${report.address || report.description}`))));
  }

  async function load() {
    const ticket = ++loading;
    const bounds = map.getBounds();
    const wanted = filters();
    const box = { minLng: bounds.getWest(), minLat: bounds.getSouth(), maxLng: bounds.getEast(), maxLat: bounds.getNorth() };
    const data = await api.gql(AREA, {
      box, status: wanted.statuses.map((s) => s.toUpperCase()), category: wanted.category, overdue: wanted.overdue });
    if (ticket !== loading) return;
    const fresh = new Set();
    data.reportsInArea.forEach((report) => { report.status = report.status.toLowerCase(); fresh.add(report.id); reports.set(report.id, report); showMarker(report); });
    [...reports.keys()].filter((id) => !fresh.has(id)).forEach(remove);
    renderList();
  }

  function detailFields(report) {
    $("detail").dataset.id = report.id;
    $("detail-icon").textContent = report.category.icon || "";
    $("detail-title").textContent = report.category.name;
    $("detail-receipt").textContent = report.receiptNumber;
    $("detail-status").textContent = statusName(report.status);
    $("detail-status").className = `status ${report.status}`;
    $("detail-overdue").hidden = !report.overdue;
    $("detail-description").textContent = report.description;
    $("detail-address").textContent = `${report.address || TEXT.noAddress} · ${report.departmentName}`;
    const details = report.staffDetails || {};
    $("detail-reporter").textContent = `${TEXT.reporter}: ${details.reporterName || "-"} ${details.reporterContact || ""} (${details.source || ""})`;
    $("hide-toggle").textContent = details.hidden ? TEXT.show : TEXT.hide;
    $("hide-toggle").className = details.hidden ? "" : "secondary";
    $("detail-photos").replaceChildren(...report.photos.map((photo) => el("figure", {},
      el("a", { href: photo.url, target: "_blank", rel: "noopener" }, el("img", { src: photo.thumbUrl, alt: report.receiptNumber })),
      el("button", { type: "button", class: "secondary", onclick: () => act(
        "mutation($p: ID!, $h: Boolean!) { hideReportPhoto(photoId: $p, hidden: $h) { id } }", { p: photo.id, h: !photo.hidden }) },
        photo.hidden ? TEXT.showPhoto : TEXT.hidePhoto))));
    const next = STATUSES[report.status] ? STATUSES[report.status].next : [];
    $("status-select").replaceChildren(...next.map((status) => el("option", { value: status }, statusName(status))));
    $("status-form").hidden = next.length === 0;
    const others = [...reports.values()].filter((other) => other.id !== report.id && OPEN.includes(other.status));
    $("duplicate-select").replaceChildren(el("option", { value: "" }, TEXT.duplicateOf),
      ...others.map((other) => el("option", { value: other.id }, `${other.receiptNumber} ${other.category.name}`)));
    $("duplicate-select").hidden = $("status-select").value !== "duplicate";
    $("detail-history").replaceChildren(...report.history.map((entry) => el("li", { class: entry.public ? "" : "internal" },
      `${when(entry.at)} ${entry.actor}: `, entry.toStatus ? statusName(entry.toStatus.toLowerCase()) + " " : "",
      entry.public ? "" : `[${TEXT.internal}] `, entry.note)));
  }

  async function openDetail(id) {
    selected = id;
    $("detail-error").textContent = "";
    try {
      const data = await api.gql(DETAIL, { id });
      const report = data.report;
      report.status = report.status.toLowerCase();
      detailFields(report);
      $("detail").hidden = false;
      await fillAssignees(report);
      if (reports.has(id)) upsert(report);
    } catch (error) { $("detail-error").textContent = error.message; }
    reports.forEach(showMarker);
    renderList();
  }

  async function fillAssignees(report) {
    const data = await api.gql("{ assignableStaff { id displayName departmentCode } }");
    const current = report.staffDetails && report.staffDetails.assignee;
    $("assign-select").replaceChildren(el("option", { value: "" }, TEXT.unassigned),
      ...data.assignableStaff.map((member) => el("option", { value: member.id }, `${member.displayName} (${member.departmentCode})`)));
    $("assign-select").value = current ? current.id : "";
  }

  async function act(mutation, variables) {
    $("detail-error").textContent = "";
    try {
      await api.gql(mutation, variables);
      await openDetail(selected);
    } catch (error) { $("detail-error").textContent = error.message; }
  }

  function wire() {
    $("status-select").addEventListener("change", () => { $("duplicate-select").hidden = $("status-select").value !== "duplicate"; });
    $("status-form").addEventListener("submit", (event) => {
      event.preventDefault();
      act(`mutation($id: ID!, $s: ReportStatus!, $n: String!, $i: String!, $d: ID) {
             updateReportStatus(id: $id, status: $s, note: $n, internalNote: $i, duplicateOfId: $d) { id } }`,
        { id: selected, s: $("status-select").value.toUpperCase(), n: $("status-note").value, i: $("status-internal").value,
          d: $("duplicate-select").value || null })
        .then(() => { $("status-note").value = ""; $("status-internal").value = ""; });
    });
    $("assign-form").addEventListener("submit", (event) => {
      event.preventDefault();
      act("mutation($id: ID!, $a: ID) { assignReport(id: $id, assigneeId: $a) { id } }", { id: selected, a: $("assign-select").value || null });
    });
    $("hide-toggle").addEventListener("click", () => act(
      "mutation($id: ID!, $h: Boolean!) { hideReport(id: $id, hidden: $h) { id } }",
      { id: selected, h: $("hide-toggle").className === "secondary" }));
    $("detail-close").addEventListener("click", () => { $("detail").hidden = true; selected = null; reports.forEach(showMarker); renderList(); });
    $("category-filter").addEventListener("change", load);
    $("overdue-filter").addEventListener("change", load);
    $("log-out").addEventListener("click", async () => { await api.logOut(); location.reload(); });
  }

  async function buildFilters() {
    $("status-filter").replaceChildren(...Object.keys(STATUSES).map((status) => el("label", {},
      el("input", { type: "checkbox", value: status, ...(OPEN.includes(status) ? { checked: "" } : {}), onchange: load }),
      " ", statusName(status))));
    const data = await api.gql("{ reportCategories { code name icon } }");
    $("category-filter").replaceChildren(el("option", { value: "" }, TEXT.allCategories),
      ...data.reportCategories.map((category) => el("option", { value: category.code }, `${category.icon} ${category.name}`)));
  }

  async function start(staff) {
    $("login").hidden = true;
    $("app").hidden = false;
    $("who").textContent = `${staff.displayName} (${staff.departmentCode})`;
    await buildFilters();
    map = L.map("map", { zoomControl: true });
    L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
    map.fitBounds(config.serviceArea);
    map.on("moveend", load);
    wire();
    await load();
    stopLive = api.subscribe(LIVE, {}, {
      state: (on) => { $("live").dataset.state = on ? "on" : "off"; },
      next: (data) => {
        const change = data.reportChanged;
        if (change.removed || !change.report) { remove(change.id); return; }
        change.report.status = change.report.status.toLowerCase();
        upsert(change.report);
        if (selected === change.id) openDetail(change.id);
      },
    });
  }

  translatePage();
  api.signIn(start);
})();

// The home page: SLOs by remaining budget (with their tags, filtered by service, kind, state and
// name or tag, the filter kept in the URL as ?service=&kind=&state=&q=: a reload keeps it, a link
// shares it), alerts, services, notifications; refreshed every 15 s.
"use strict";

const FILTERS = { service: "filter-service", kind: "filter-kind", state: "filter-state", q: "filter-text" };
/** The SLOs of the latest overview, filtered again when a filter changes. */
let allSlos = null;

/** Reads the filter from the URL into its controls. */
function readFilter() {
  const params = new URLSearchParams(location.search);
  for (const [key, id] of Object.entries(FILTERS)) {
    const el = document.getElementById(id);
    const v = params.get(key) || "";
    // a service without an SLO yet (or a typo in a link) is still the filter: an option of its own
    if (el.tagName === "SELECT" && v !== "" && ![...el.options].some(o => o.value === v)) el.add(new Option(v, v));
    el.value = v;
  }
}

/** Writes the filter to the URL (only the filters that are set). */
function writeFilter() {
  const q = new URLSearchParams();
  for (const [key, id] of Object.entries(FILTERS)) {
    const v = document.getElementById(id).value.trim();
    if (v !== "") q.set(key, v);
  }
  const query = q.toString();
  history.replaceState(null, "", location.pathname + (query === "" ? "" : "?" + query));
}

/** An SLO's tags: its kind and the spec's labels, e.g. ["latency", "team=catalog"]. */
function sloTags(s) {
  return [s.kind].concat(Object.entries(s.labels || {}).map(([k, v]) => k + "=" + v));
}

/** Whether an SLO passes the filter: every filter set matches (name or tag: a substring, any case). */
function matchesFilter(s) {
  const value = id => document.getElementById(id).value.trim();
  const text = value(FILTERS.q).toLowerCase();
  return (value(FILTERS.service) === "" || s.service === value(FILTERS.service))
    && (value(FILTERS.kind) === "" || s.kind === value(FILTERS.kind))
    && (value(FILTERS.state) === "" || s.state === value(FILTERS.state))
    && (text === "" || [s.slo].concat(sloTags(s)).some(t => t.toLowerCase().includes(text)));
}

/** Fills the SLO table with the SLOs that pass the filter, and the service filter's options. */
function showSlos() {
  if (allSlos == null) return;
  const select = document.getElementById(FILTERS.service);
  for (const service of new Set(allSlos.map(s => s.service))) {
    if (![...select.options].some(o => o.value === service)) select.add(new Option(service, service));
  }
  const shown = allSlos.filter(matchesFilter);
  document.getElementById("slo-count").textContent = shown.length === allSlos.length ? ""
    : shown.length + " of " + allSlos.length + " SLOs match";
  fillTable("slos", shown, s => {
    const link = document.createElement("a");
    link.href = "/slo.html?service=" + encodeURIComponent(s.service) + "&slo=" + encodeURIComponent(s.slo);
    link.textContent = s.slo;
    const tags = document.createElement("span");
    for (const t of sloTags(s)) {
      const tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = t;
      tags.append(tag, " ");
    }
    return [cell(s.service), cell(link), cell(tags), cell(s.objective_percent + "%", "num"), cell(percent(s.sli_percent, 4), "num"),
      cell(percent(s.remaining_percent, 1), "num"), cell(badge(s.state)), cell(s.coverage)];
  }, allSlos.length === 0 ? "no SLOs in the specs" : "no SLO matches the filter");
}

/** A link to an alert's rule on the Alerts page: its name and the labels that tell its rules apart. */
function alertLink(name, labels) {
  const keys = ["service", "slo", "long_window", "short_window"].filter(k => labels[k] != null).map(k => k + "=" + labels[k]);
  const link = document.createElement("a");
  link.href = "/alerts.html#" + encodeURIComponent(keys.length === 0 ? name : name + "{" + keys.join(",") + "}");
  link.textContent = name;
  return link;
}

async function refreshHome() {
  try {
    const o = await getJson("/api/overview");
    clearError();
    allSlos = o.slos;
    showSlos();
    fillTable("alerts", o.alerts, a => [cell(alertLink(a.name, a.labels)), cell(badge(a.state)), cell(a.labels.service), cell(a.labels.severity),
      cell(relativeTime(a.activeAt))], "no alert is pending or firing");
    fillTable("services", o.services, t => [cell(t.job), cell(t.instance), cell(badge(t.health)), cell(t.lastError)],
      "Prometheus has no scrape targets");
    fillTable("notifications", o.notifications, n => [cell(relativeTime(n.received_at)), cell(n.receiver), cell(badge(n.status)),
      cell(n.alertname), cell(n.service)], "no notification received yet");
    document.getElementById("updated").textContent = "as of " + formatTime(o.at);
    if (performance.getEntriesByName("vigil-drawn").length === 0) performance.mark("vigil-drawn");
  } catch (e) {
    showError(e);
  }
}

readFilter();
for (const id of Object.values(FILTERS)) {
  document.getElementById(id).addEventListener(id === FILTERS.q ? "input" : "change", () => { writeFilter(); showSlos(); });
}
every(15000, refreshHome);

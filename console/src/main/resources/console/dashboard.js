// One dashboard of the shared model: variables, time range, refresh; each panel asks the console
// once per refresh for its data, with as many points as its chart is wide / 2. Refreshes stop
// while the tab is hidden. The range (relative, or absolute from a drag-to-zoom) and the variables
// are kept in the URL (?uid=&range=&var-<name>= or &from=&to= in epoch seconds): a reload keeps
// them and a link shares them. Faults and drills are drawn on every time series as annotations.
// Each panel's Inspect (Grafana's panel inspect) shows the queries its last refresh sent, with
// their step, and the data as a table of (time, series, value) with a CSV download.
"use strict";

const uid = new URLSearchParams(location.search).get("uid");
let dashboard = null;
let timer = null;
const values = {};
/** An absolute range {from, to} in epoch seconds, or null for the last <range>. */
let absolute = null;

/** Reads the range and the variables from the URL. */
function readUrl() {
  const params = new URLSearchParams(location.search);
  for (const key of Object.keys(values)) delete values[key];
  for (const [k, v] of params) if (k.startsWith("var-")) values[k.substring(4)] = v;
  const range = params.get("range");
  const select = document.getElementById("range");
  if (range && [...select.options].some(o => o.value === range)) select.value = range;
  const from = Number(params.get("from")), to = Number(params.get("to"));
  absolute = params.has("from") && params.has("to") && isFinite(from) && isFinite(to) && to > from ? { from: from, to: to } : null;
  showAbsolute();
}

/** Writes the range and the variables to the URL; push adds a history entry (a zoom). */
function writeUrl(push) {
  const q = new URLSearchParams();
  q.set("uid", uid);
  if (absolute) { q.set("from", String(absolute.from)); q.set("to", String(absolute.to)); }
  else q.set("range", document.getElementById("range").value);
  for (const [name, v] of Object.entries(values)) q.set("var-" + name, v);
  const url = location.pathname + "?" + q;
  if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
}

/** The absolute range, if any, in the controls: its bounds and a way back to the relative one. */
function showAbsolute() {
  const span = document.getElementById("absolute");
  span.hidden = !absolute;
  document.getElementById("range").disabled = !!absolute;
  if (absolute) document.getElementById("absolute-text").textContent = formatTime(absolute.from) + " to " + formatTime(absolute.to);
}

/** The range as the API takes it: {range, end} (end null: now). */
function apiRange() {
  return absolute ? { range: Math.max(1, Math.round(absolute.to - absolute.from)) + "s", end: absolute.to }
    : { range: document.getElementById("range").value, end: null };
}

function zoom(from, to) {
  absolute = { from: from, to: to };
  showAbsolute();
  writeUrl(true);
  refreshPanels();
}

function query() {
  const q = new URLSearchParams();
  for (const [name, v] of Object.entries(values)) q.append("var-" + name, v);
  return q;
}

async function loadVariables() {
  const span = document.getElementById("variables");
  span.replaceChildren();
  // every variable's current value first, so the panels can be asked for at once with the options
  for (const v of dashboard.variables) values[v.name] = values[v.name] || v.default;
  const selects = dashboard.variables.map(v => {
    const label = document.createElement("label");
    label.append(v.label + " ");
    const select = document.createElement("select");
    select.id = "var-" + v.name;
    if (v.include_all) select.add(new Option("All", "All"));
    if (values[v.name] !== "All") select.add(new Option(values[v.name], values[v.name]));
    select.value = values[v.name];
    select.addEventListener("change", () => { values[v.name] = select.value; writeUrl(false); refreshPanels(); });
    label.appendChild(select);
    span.appendChild(label);
    return [v, select];
  });
  await Promise.all(selects.map(async ([v, select]) => {
    try {
      const q = query(); q.delete("var-" + v.name);
      for (const value of await getJson("/api/dashboards/" + encodeURIComponent(uid) + "/variables/" + v.name + "?" + q)) {
        if (![...select.options].some(o => o.value === value)) select.add(new Option(value, value));
      }
    } catch (e) { showError(e); }
    select.value = values[v.name];
  }));
}

function buildPanels() {
  const grid = document.getElementById("panels");
  grid.replaceChildren();
  for (const p of dashboard.panels) {
    if (p.type === "row") {
      const h = document.createElement("div");
      h.className = "row-title";
      h.textContent = p.title;
      grid.appendChild(h);
      continue;
    }
    const div = document.createElement("div");
    div.className = "panel panel-" + p.type;
    div.id = "panel-" + p.id;
    div.style.gridColumn = "span " + p.width;
    const h = document.createElement("h3");
    h.textContent = p.title;
    h.title = p.description || "";
    const inspect = document.createElement("button");
    inspect.type = "button";
    inspect.className = "inspect";
    inspect.textContent = "Inspect";
    inspect.addEventListener("click", () => openInspect(p));
    const head = document.createElement("div");
    head.className = "panel-head";
    head.append(h, inspect);
    const body = document.createElement("div");
    body.className = "panel-body";
    div.append(head, body);
    grid.appendChild(div);
  }
}

async function refreshPanel(p, range, annotations) {
  const body = document.querySelector("#panel-" + p.id + " .panel-body");
  const points = Math.min(2000, Math.max(10, Math.floor(Math.max(260, body.clientWidth) / 2)));
  const q = query(); q.set("range", range.range); q.set("points", String(points));
  if (range.end != null) q.set("end", String(range.end));
  try {
    const request = "/api/dashboards/" + encodeURIComponent(uid) + "/panels/" + p.id + "?" + q;
    const r = await getJson(request);
    // what the panel's inspect view shows: the request and its answer, as drawn
    body.inspected = { request: request, response: r };
    if (p.type === "timeseries") {
      const lines = (p.thresholds || []).filter(t => t.value != null).map(t => ({ value: t.value, color: t.color }));
      drawTimeSeries(body, r.series, { start: r.start, end: r.end, unit: p.unit, decimals: p.decimals, min: p.min, max: p.max,
        lines: lines, exemplars: r.exemplars, annotations: await annotations, onZoom: zoom, fitToData: true,
        syncKey: "dashboard" });
    } else if (p.type === "table") {
      drawTable(body, p, r.series);
    } else {
      const last = r.series.length === 0 || r.series[0].points.length === 0 ? null : r.series[0].points.at(-1)[1];
      const div = document.createElement("div");
      div.className = "stat";
      div.textContent = last == null ? (p.no_value || "no data") : formatValue(last, p.unit, p.decimals);
      if (last != null) div.style.color = thresholdColor(last, p.thresholds);
      body.replaceChildren(div);
      body.dataset.points = String(last == null ? 0 : 1);
    }
  } catch (e) {
    body.dataset.points = "0";
    body.textContent = String(e.message || e);
    body.className = "panel-body error";
  }
}

function drawTable(body, p, series) {
  body.dataset.points = String(series.length);
  if (series.length === 0) {
    body.innerHTML = "";
    const e = document.createElement("p"); e.className = "empty"; e.textContent = p.no_value || "no data";
    body.appendChild(e);
    return;
  }
  const hidden = new Set(["__name__", "alertstate", "service", "slo"]);
  const keys = Array.from(new Set(series.flatMap(s => Object.keys(s.labels)))).filter(k => !hidden.has(k));
  const table = document.createElement("table");
  table.innerHTML = "<thead><tr>" + keys.map(k => "<th></th>").join("") + "</tr></thead><tbody></tbody>";
  table.querySelectorAll("th").forEach((th, i) => th.textContent = keys[i]);
  for (const s of series) {
    const tr = document.createElement("tr");
    keys.forEach(k => tr.appendChild(cell(s.labels[k])));
    table.tBodies[0].appendChild(tr);
  }
  body.replaceChildren(table);
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
function csvField(v) {
  const text = String(v);
  return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

/**
 * Grafana's panel inspect: the panel's queries as its last refresh sent them to Prometheus
 * (variables substituted, with start, end and step), and its data as a table of (time, series,
 * value), one row per point drawn, with the same rows as a CSV download (time in ISO 8601 UTC,
 * values as Prometheus gave them).
 */
function openInspect(p) {
  const body = document.querySelector("#panel-" + p.id + " .panel-body");
  const dialog = document.getElementById("inspect");
  document.getElementById("inspect-title").textContent = "Inspect: " + p.title;
  const inspected = body.inspected;
  document.getElementById("inspect-request").textContent = inspected ? inspected.request : "not loaded yet";
  const queries = document.getElementById("inspect-queries");
  queries.replaceChildren();
  const r = inspected ? inspected.response : { queries: [], series: [] };
  for (const query of r.queries) {
    const div = document.createElement("div");
    div.className = "inspect-query";
    div.dataset.ref = query.ref;
    div.dataset.step = String(query.step_seconds);
    div.dataset.start = String(query.start);
    div.dataset.end = String(query.end);
    const pre = document.createElement("pre");
    pre.className = "query";
    pre.textContent = query.expr;
    const params = document.createElement("div");
    params.className = "empty";
    params.textContent = query.ref + ": " + (query.instant ? "instant query at " + formatTime(query.end)
      : "range query from " + formatTime(query.start) + " to " + formatTime(query.end) + ", step " + query.step_seconds + " s");
    div.append(params, pre);
    queries.appendChild(div);
  }
  const rows = r.series.flatMap(s => s.points.map(([t, v]) => ({ t: t, series: s.name, value: v })));
  fillTable("inspect-data", rows, row => {
    const time = cell(formatTime(row.t));
    time.dataset.t = String(row.t);
    return [time, cell(row.series), cell(String(row.value), "num")];
  }, "no data");
  document.getElementById("inspect-count").textContent = rows.length + " points in " + r.series.length + " series";
  const csv = ["time,series,value"].concat(rows.map(row =>
    [new Date(row.t * 1000).toISOString(), row.series, row.value].map(csvField).join(","))).join("\r\n") + "\r\n";
  const link = document.getElementById("inspect-csv");
  if (link.href.startsWith("blob:")) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
  link.download = p.title.replace(/[^A-Za-z0-9_.-]+/g, "-") + ".csv";
  dialog.showModal();
}

async function refreshPanels() {
  const range = apiRange();
  const annotations = fetchAnnotations(range.range, range.end);
  await Promise.all(dashboard.panels.filter(p => p.type !== "row").map(p => refreshPanel(p, range, annotations)));
  document.getElementById("updated").textContent = "as of " + formatTime(Date.now() / 1000);
  // time to the first drawn panels, read by the browser test (navigation timing ends before)
  if (performance.getEntriesByName("vigil-drawn").length === 0) performance.mark("vigil-drawn");
  document.getElementById("panels").dataset.refreshed = String(Date.now());
}

function schedule() {
  if (timer) clearInterval(timer);
  const ms = Number(document.getElementById("auto").value);
  if (ms > 0) timer = setInterval(() => { if (!document.hidden) refreshPanels(); }, ms);
}

async function main() {
  if (!uid) { showError(new Error("this page needs ?uid=<dashboard>: open one from Dashboards")); return; }
  try {
    dashboard = await getJson("/api/dashboards/" + encodeURIComponent(uid));
  } catch (e) { showError(e); return; }
  document.title = dashboard.title + " - vigil console";
  document.getElementById("title").textContent = dashboard.title;
  document.getElementById("description").textContent = dashboard.description;
  const from = (dashboard.from || "now-1h").replace("now-", "");
  if ([...document.getElementById("range").options].some(o => o.value === from)) document.getElementById("range").value = from;
  readUrl();
  const variablesLoaded = loadVariables();
  buildPanels();
  writeUrl(false);
  document.getElementById("range").addEventListener("change", () => { writeUrl(false); refreshPanels(); });
  document.getElementById("relative").addEventListener("click", () => { absolute = null; showAbsolute(); writeUrl(true); refreshPanels(); });
  window.addEventListener("popstate", async () => { readUrl(); await loadVariables(); refreshPanels(); });
  document.getElementById("refresh").addEventListener("click", refreshPanels);
  document.getElementById("inspect-close").addEventListener("click", () => document.getElementById("inspect").close());
  document.getElementById("auto").addEventListener("change", schedule);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) refreshPanels(); });
  // the panels are drawn with the variables' current values while their options load
  await Promise.all([variablesLoaded, refreshPanels()]);
  schedule();
}

main();

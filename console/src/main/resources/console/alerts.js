// The alerts page: one row per alerting rule (an SLO alert per SLO and window pair, linking to its
// SLO), and one rule's detail (#<rule id>): its annotations rendered with the alert's values where
// it is active (else with the variables named), a graph of each condition's left-hand side against
// its threshold, and its runbook.
"use strict";

let rules = [];

function dashboardLink(r) {
  const a = document.createElement("a");
  a.href = "/dashboard.html?uid=" + encodeURIComponent(r.dashboard);
  a.textContent = r.dashboard;
  return a;
}

function sloLink(r) {
  if (!r.slo_page) return "";
  const a = document.createElement("a");
  a.className = "slo-link";
  a.href = r.slo_page;
  a.textContent = r.labels.slo;
  return a;
}

function windows(r) {
  const l = r.labels;
  if (!l.long_window) return "";
  return l.long_window + (l.short_window ? " / " + l.short_window : "");
}

/** Go's printf for the verbs alert templates use: %f, %.Nf, %d, %s, %v. */
function printf(format, value) {
  return format.replace(/%(\.(\d+))?([fdsvg])/, (m, p, digits, verb) => {
    if (verb === "f") return Number(value).toFixed(digits == null ? 6 : Number(digits));
    if (verb === "d") return String(Math.trunc(Number(value)));
    if (verb === "g") return String(Number(value));
    return String(value);
  });
}

/** Prometheus' humanize: SI prefixes, 4 significant digits. */
function humanize(v) {
  if (v === 0 || !isFinite(v)) return String(v);
  const prefixes = ["", "k", "M", "G", "T", "P"];
  const small = ["", "m", "u", "n", "p"];
  let i = 0, x = v;
  if (Math.abs(x) >= 1) { while (Math.abs(x) >= 1000 && i < prefixes.length - 1) { x /= 1000; i++; } return Number(x.toPrecision(4)) + prefixes[i]; }
  while (Math.abs(x) < 1 && i < small.length - 1) { x *= 1000; i++; }
  return Number(x.toPrecision(4)) + small[i];
}

/** Prometheus' humanizeDuration: 1d 2h 3m 4s. */
function humanizeDuration(v) {
  if (!isFinite(v)) return String(v);
  if (Math.abs(v) < 1) return humanize(v) + "s";
  let s = Math.round(v);
  const parts = [];
  for (const [unit, n] of [["d", 86400], ["h", 3600], ["m", 60]]) {
    if (s >= n) { parts.push(Math.floor(s / n) + unit); s %= n; }
  }
  if (s > 0 || parts.length === 0) parts.push(s + "s");
  return parts.join(" ");
}

/**
 * One {{ ... }} of an alert template evaluated against an alert ({value, labels}), or null when it
 * uses what the console cannot evaluate (e.g. query) or there is no alert.
 */
function evaluate(pipeline, labels, alert) {
  const stages = pipeline.split("|").map(s => s.trim());
  let v;
  const first = stages[0];
  const label = first.match(/^(?:\$labels|\.Labels)\.(\w+)$/);
  if (label) {
    v = labels[label[1]];
    if (v == null) return null;
  } else if (first === "$value" || first === ".Value") {
    if (!alert) return null;
    v = Number(alert.value);
  } else {
    const p = first.match(/^printf\s+"([^"]*)"\s+\$value$/);
    if (!p || !alert) return null;
    v = printf(p[1], Number(alert.value));
  }
  for (const stage of stages.slice(1)) {
    const p = stage.match(/^printf\s+"([^"]*)"$/);
    if (stage === "humanizePercentage") v = humanize(Number(v) * 100) + "%";
    else if (stage === "humanize") v = humanize(Number(v));
    else if (stage === "humanizeDuration") v = humanizeDuration(Number(v));
    else if (p) v = printf(p[1], v);
    else return null;
  }
  return String(v);
}

/**
 * An annotation's template as nodes: each {{ ... }} by its value (the rule's labels; the alert's
 * value where it is active), else a <var> naming the variable, the template as its title.
 */
function renderTemplate(text, labels, alert) {
  const out = [];
  let last = 0;
  for (const m of String(text || "").matchAll(/\{\{-?\s*(.*?)\s*-?\}\}/g)) {
    out.push(document.createTextNode(text.substring(last, m.index)));
    const value = evaluate(m[1], labels, alert);
    if (value != null) {
      out.push(document.createTextNode(value));
    } else {
      const v = document.createElement("var");
      const named = m[1].match(/\$(?:labels\.)?\w+/);
      v.textContent = "<" + (named ? named[0].replace(/^\$/, "") : "value") + ">";
      v.title = m[0];
      out.push(v);
    }
    last = m.index + m[0].length;
  }
  out.push(document.createTextNode(String(text || "").substring(last)));
  return out;
}

/**
 * The rule the page's hash names: its id, or a name with some of its labels
 * (#SloBurnRatePage{service=catalog,slo=latency} picks the first such rule), or a name alone.
 */
function selectedRule() {
  const id = decodeURIComponent(location.hash.substring(1));
  const exact = rules.find(x => x.id === id);
  if (exact) return exact;
  const m = id.match(/^(\w+)(?:\{(.*)\})?$/);
  if (!m) return undefined;
  const wanted = (m[2] || "").split(",").filter(kv => kv.includes("=")).map(kv => kv.split("="));
  return rules.find(x => x.name === m[1] && wanted.every(([k, v]) => x.labels[k] === v));
}

async function showDetail() {
  const r = selectedRule();
  const detail = document.getElementById("detail");
  if (!r) { detail.hidden = true; return; }
  detail.hidden = false;
  const alert = r.alerts.find(a => a.state === "firing") || r.alerts[0] || null;
  const labels = Object.assign({}, r.labels, alert ? alert.labels : {});
  document.getElementById("detail-name").textContent = r.name + (r.labels.slo ? " " + r.labels.slo : "")
    + (windows(r) ? " " + windows(r) : "") + " (" + r.state + ")";
  const a = r.annotations || {};
  document.getElementById("detail-summary").replaceChildren(...renderTemplate(a.summary || "", labels, alert));
  document.getElementById("detail-description").replaceChildren(...renderTemplate(a.description || "", labels, alert));
  document.getElementById("detail-expr").textContent = r.expr + (r.for_seconds > 0 ? "  for " + r.for_seconds + "s" : "");
  document.getElementById("detail-dashboard").href = "/dashboard.html?uid=" + encodeURIComponent(r.dashboard);
  const graph = document.getElementById("graph");
  const points = Math.min(2000, Math.max(10, Math.floor(Math.max(300, graph.clientWidth) / 2)));
  try {
    const q = new URLSearchParams({ range: "6h", points: String(points) });
    for (const k of ["service", "slo", "long_window", "short_window"]) if (r.labels[k]) q.set(k, r.labels[k]);
    const [g, annotations] = await Promise.all([
      getJson("/api/alerts/" + encodeURIComponent(r.name) + "/graph?" + q), fetchAnnotations("6h")]);
    drawConditions(graph, g, annotations);
  } catch (e) { showError(e); }
  const runbook = document.getElementById("runbook");
  runbook.className = "runbook";
  const response = r.runbook ? await fetch("/api/alerts/" + encodeURIComponent(r.name) + "/runbook") : null;
  if (response && response.ok) {
    runbook.innerHTML = await response.text(); // rendered by the console from docs/runbooks, raw HTML escaped
  } else {
    runbook.textContent = r.runbook ? "the runbook could not be read" : "no runbook: docs/runbooks/" + r.name + ".md does not exist";
    runbook.className = "runbook empty";
  }
}

/** One chart per condition: its left-hand side, and its threshold as a line (or a series). */
function drawConditions(graph, g, annotations) {
  graph.replaceChildren();
  let total = 0;
  g.conditions.forEach((c, i) => {
    const caption = document.createElement("p");
    caption.className = "condition";
    caption.textContent = c.op == null ? c.expr : c.expr + "  " + c.op + "  " + c.threshold_expr;
    const chart = document.createElement("div");
    chart.className = "condition-chart";
    chart.id = "condition-" + i;
    graph.append(caption, chart);
    const series = c.series.concat(c.threshold_series.map(s => ({ name: "threshold " + s.name, points: s.points })));
    const lines = c.threshold != null ? [{ value: c.threshold, color: "red" }] : [];
    total += drawTimeSeries(chart, series, { start: g.start, end: g.end, height: 180, lines: lines, annotations: annotations });
    chart.dataset.threshold = c.threshold == null ? "" : String(c.threshold);
  });
  graph.dataset.points = String(total);
}

async function refreshAlerts() {
  try {
    rules = await getJson("/api/alerts");
    clearError();
    fillTable("alerts", rules, r => {
      const a = document.createElement("a");
      a.href = "#" + encodeURIComponent(r.id);
      a.textContent = r.name;
      return [cell(a), cell(badge(r.state)), cell(r.labels.severity), cell(r.labels.service), cell(sloLink(r)), cell(windows(r)),
        cell(r.for_seconds + "s", "num"), cell(dashboardLink(r))];
    }, "Prometheus has no alerting rule loaded");
  } catch (e) {
    showError(e);
  }
}

window.addEventListener("hashchange", showDetail);
refreshAlerts().then(showDetail);
setInterval(() => { if (!document.hidden) refreshAlerts(); }, 30000);

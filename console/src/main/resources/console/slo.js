// One SLO: budget figures, burn rates, its requests and errors (Pyrra's graphs) and a uPlot chart
// of a recorded series over a chosen range (the series and the range kept in the URL: a reload
// keeps them, a link shares them), with the faults and drills in the range drawn as annotations.
"use strict";

const params = new URLSearchParams(location.search);
if (params.get("range") && [...document.getElementById("range").options].some(o => o.value === params.get("range"))) {
  document.getElementById("range").value = params.get("range");
}

/** Writes the chosen series and range to the URL. */
function writeUrl() {
  const q = new URLSearchParams({ service: service, slo: sloName, series: document.getElementById("series").value,
    range: document.getElementById("range").value });
  history.replaceState(null, "", location.pathname + "?" + q);
}
const service = params.get("service");
const sloName = params.get("slo");
const base = "/api/slos/" + encodeURIComponent(service) + "/" + encodeURIComponent(sloName);
let plot = null;

async function refreshFigures() {
  try {
    const s = await getJson(base);
    clearError();
    document.getElementById("title").textContent = s.service + " / " + s.slo + " (" + s.period + ")";
    document.getElementById("description").textContent = s.description;
    document.getElementById("sli").textContent = percent(s.sli_percent, 4);
    document.getElementById("objective").textContent = s.objective_percent + "%";
    document.getElementById("remaining").textContent = percent(s.remaining_percent, 1);
    document.getElementById("remaining-minutes").textContent =
      (s.remaining_minutes == null ? "no data" : s.remaining_minutes.toFixed(1)) + " of " + s.budget_minutes;
    document.getElementById("state").replaceChildren(badge(s.state));
    document.getElementById("consequence").textContent = s.consequence;
    document.getElementById("coverage").textContent = s.coverage + " (" + percent(s.coverage_percent, 1) + ")";
    const burn = r => r == null ? "no traffic" : r.toFixed(3);
    fillTable("window-pairs", s.window_pairs, w => {
      const link = document.createElement("a");
      link.href = w.alerts_page;
      link.textContent = w.alert;
      link.title = w.severity;
      const exhaustion = cell(exhaustionText(w, s), "num exhaustion");
      if (w.time_to_exhaustion_seconds != null) exhaustion.dataset.seconds = String(w.time_to_exhaustion_seconds);
      return [cell(w.tier), cell(link), cell(w.long_window), cell(burn(w.long_burn_rate), "num"), cell(w.short_window),
        cell(burn(w.short_burn_rate), "num"), cell(w.factor.toFixed(2), "num"), cell(w.for), cell(badge(w.state)),
        cell(badge(w.alert_state)), exhaustion];
    }, "no alert tier is enabled");
    fillTable("slo-alerts", s.alerts, a => {
      const link = document.createElement("a");
      link.href = a.alerts_page;
      link.textContent = a.name;
      return [cell(link), cell(badge(a.state))];
    }, "");
    refreshBurndown();
    fillTable("burn-rates", Object.entries(s.burn_rates), ([w, r]) => [cell(w), cell(r == null ? "no traffic" : r.toFixed(3), "num")], "");
    if (performance.getEntriesByName("vigil-drawn").length === 0) performance.mark("vigil-drawn");
    const select = document.getElementById("series");
    if (select.options.length === 0) {
      const chosen = s.series.includes(params.get("series")) ? params.get("series") : "error_ratio_1h";
      for (const name of s.series) select.add(new Option(name, name, false, name === chosen));
      refreshRanged();
    }
  } catch (e) {
    showError(e);
  }
}

/**
 * A burn-rate alert's time to exhaustion as text: how long the period's budget lasts if the long
 * window's burn goes on, remaining budget (fraction of the period's budget) x period / burn rate
 * (Google SRE Workbook, ch. 5: a burn rate of 1 spends the budget in exactly the period); the API
 * computes the seconds (time_to_exhaustion_seconds).
 */
function exhaustionText(w, s) {
  if (s.remaining_percent == null) return "no data";
  if (w.long_burn_rate == null) return "no traffic";
  if (s.remaining_percent <= 0) return "exhausted";
  if (w.time_to_exhaustion_seconds == null) return "never (no burn)";
  return spanText(w.time_to_exhaustion_seconds);
}

async function refreshBurndown() {
  const el = document.getElementById("burndown");
  const points = Math.min(2000, Math.max(10, Math.floor(Math.max(300, el.clientWidth) / 2)));
  try {
    const b = await getJson(base + "/burndown?points=" + points);
    const annotations = await fetchAnnotations(Math.max(1, Math.round(b.end - b.chart_start)) + "s", b.end);
    drawTimeSeries(el, [{ name: "budget remaining", points: b.points }], { start: b.chart_start, end: b.end,
      unit: "percentunit", decimals: 1, lines: [{ value: 0.5, color: "orange" }, { value: 0.1, color: "red" }], height: 260,
      annotations: annotations });
  } catch (e) {
    showError(e);
  }
}

/** The charts over the chosen range: the requests and errors, and the recorded series. */
function refreshRanged() {
  const annotations = fetchAnnotations(document.getElementById("range").value);
  return Promise.all([refreshTraffic(annotations), refreshChart(annotations)]);
}

/**
 * Pyrra's request and error graphs: the SLO's events per second (slices judged per minute for a
 * time-slice SLI) and its error ratio at each step of the range, from its recorded minute counts
 * (/traffic). The errors graph's dashed line is the error budget: a ratio above it burns the
 * budget faster than the period allows.
 */
async function refreshTraffic(annotations) {
  const requests = document.getElementById("requests"), errors = document.getElementById("errors");
  const range = document.getElementById("range").value;
  const points = Math.min(2000, Math.max(10, Math.floor(Math.max(260, requests.clientWidth) / 2)));
  try {
    const t = await getJson(base + "/traffic?range=" + range + "&points=" + points);
    const perSecond = t.rate_unit === "per second";
    const rateName = perSecond ? t.events + "/s" : t.events + "/min";
    document.getElementById("requests-title").textContent = (perSecond ? "Requests per second" : "Slices judged per minute");
    document.getElementById("errors-title").textContent = "Error ratio: " + t.bad_events + " / " + t.events;
    requests.title = t.queries.requests;
    errors.title = t.queries.error_ratio;
    const opts = { start: t.start, end: t.end, height: 200, annotations: await annotations, fitToData: true, syncKey: "slo-traffic" };
    drawTimeSeries(requests, t.requests.length === 0 ? [] : [{ name: rateName, points: t.requests }],
      Object.assign({ unit: perSecond ? "reqps" : "short" }, opts));
    drawTimeSeries(errors, t.error_ratio.length === 0 ? [] : [{ name: t.bad_events, points: t.error_ratio }],
      Object.assign({ unit: "percentunit", lines: [{ value: t.error_budget, color: "orange" }] }, opts));
  } catch (e) {
    showError(e);
  }
}

async function refreshChart(annotations) {
  const chart = document.getElementById("chart");
  const width = Math.max(300, chart.clientWidth);
  const series = document.getElementById("series").value;
  const range = document.getElementById("range").value;
  // one point per two pixels: the step follows the chart's width
  const points = Math.min(2000, Math.max(10, Math.floor(width / 2)));
  try {
    const [r, drawnAnnotations] = await Promise.all([
      getJson(base + "/series?series=" + series + "&range=" + range + "&points=" + points), annotations || fetchAnnotations(range)]);
    document.getElementById("query").textContent = r.query;
    // every recorded series of an SLO is a ratio: error ratios and budget remaining
    drawTimeSeries(chart, r.points.length === 0 ? [] : [{ name: series, points: r.points }],
      { start: r.start, end: r.end, unit: "percentunit", height: 300, annotations: drawnAnnotations, fitToData: true });
    plot = chart.plot;
  } catch (e) {
    showError(e);
  }
}

document.getElementById("series").addEventListener("change", () => { writeUrl(); refreshChart(); });
document.getElementById("range").addEventListener("change", () => { writeUrl(); refreshRanged(); });
if (!service || !sloName) {
  showError(new Error("this page needs ?service=<service>&slo=<name>: open an SLO from the home page"));
} else {
  every(30000, () => { refreshFigures(); if (document.getElementById("series").options.length > 0) refreshRanged(); });
}

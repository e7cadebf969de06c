// One SLO: budget figures, burn rates, and a uPlot chart of a recorded series over a chosen range.
"use strict";

const params = new URLSearchParams(location.search);
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
    fillTable("burn-rates", Object.entries(s.burn_rates), ([w, r]) => [cell(w), cell(r == null ? "no traffic" : r.toFixed(3), "num")], "");
    const select = document.getElementById("series");
    if (select.options.length === 0) {
      for (const name of s.series) select.add(new Option(name, name, false, name === "error_ratio_1h"));
      refreshChart();
    }
  } catch (e) {
    showError(e);
  }
}

async function refreshChart() {
  const chart = document.getElementById("chart");
  const width = Math.max(300, chart.clientWidth);
  const series = document.getElementById("series").value;
  const range = document.getElementById("range").value;
  // one point per two pixels: the step follows the chart's width
  const points = Math.min(2000, Math.max(10, Math.floor(width / 2)));
  try {
    const r = await getJson(base + "/series?series=" + series + "&range=" + range + "&points=" + points);
    document.getElementById("query").textContent = r.query;
    const data = [r.points.map(p => p[0]), r.points.map(p => p[1])];
    chart.dataset.points = String(r.points.length);
    if (plot) plot.destroy();
    plot = new uPlot({
      width: width, height: 300,
      scales: { x: { time: true, range: [r.start, r.end] } },
      series: [{}, { label: series, stroke: "#0969da", width: 1.5, points: { show: r.points.length < 60 } }],
    }, data, chart);
  } catch (e) {
    showError(e);
  }
}

document.getElementById("series").addEventListener("change", refreshChart);
document.getElementById("range").addEventListener("change", refreshChart);
if (!service || !sloName) {
  showError(new Error("this page needs ?service=<service>&slo=<name>: open an SLO from the home page"));
} else {
  every(30000, () => { refreshFigures(); if (document.getElementById("series").options.length > 0) refreshChart(); });
}

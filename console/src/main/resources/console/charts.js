// Charts shared by the console's pages: uPlot time series with threshold lines and exemplars
// (each a dot, and a link to its trace and its logs below the chart).
"use strict";

const PALETTE = ["#0969da", "#cf222e", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7b83", "#57606a"];
const COLORS = { green: "#1a7f37", red: "#cf222e", orange: "#bc4c00", yellow: "#9a6700", blue: "#0969da" };

/** The colour of a value on a threshold scale [{color, value}], base step first. */
function thresholdColor(v, steps) {
  let color = null;
  for (const s of steps || []) if (s.value == null || v >= s.value) color = s.color;
  return COLORS[color] || color || "inherit";
}

/**
 * Draws series [{name, points: [[t, v]]}] as one uPlot chart in container.
 * opts: start, end (epoch s), unit, decimals, min, max, lines ([{value, color}]), exemplars ([{t, v, trace_id}]), height.
 * Returns the number of points drawn.
 */
function drawTimeSeries(container, series, opts) {
  const times = Array.from(new Set(series.flatMap(s => s.points.map(p => p[0])))).sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const data = [times];
  for (const s of series) {
    const ys = new Array(times.length).fill(null);
    for (const [t, v] of s.points) ys[index.get(t)] = v;
    data.push(ys);
  }
  const exemplars = opts.exemplars || [];
  const lines = opts.lines || [];
  const width = Math.max(260, container.clientWidth);
  container.replaceChildren();
  const drawn = series.reduce((n, s) => n + s.points.length, 0);
  container.dataset.points = String(drawn);
  if (series.length === 0) {
    const p = document.createElement("p");
    p.className = "empty";
    p.textContent = "no data";
    container.appendChild(p);
    return 0;
  }
  const fmt = (u, v) => formatValue(v, opts.unit, opts.decimals);
  const plot = new uPlot({
    width: width, height: opts.height || 220,
    scales: { x: { time: true, range: [opts.start, opts.end] },
      y: { range: (u, lo, hi) => [opts.min != null ? opts.min : Math.min(lo, 0), opts.max != null ? opts.max : Math.max(hi, ...lines.map(l => l.value * 1.1), 1e-9)] } },
    axes: [{}, { values: (u, vals) => vals.map(v => opts.decimals === 0 && !Number.isInteger(v) ? "" : fmt(u, v)), size: 86 }],
    series: [{}].concat(series.map((s, i) => ({ label: s.name, stroke: PALETTE[i % PALETTE.length], width: 1.5,
      value: (u, v) => fmt(u, v), points: { show: s.points.length < 40 } }))),
    hooks: { draw: [u => {
      const ctx = u.ctx;
      ctx.save();
      for (const l of lines) {
        const y = u.valToPos(l.value, "y", true);
        ctx.strokeStyle = COLORS[l.color] || l.color || "#cf222e";
        ctx.setLineDash([6, 4]);
        ctx.beginPath(); ctx.moveTo(u.bbox.left, y); ctx.lineTo(u.bbox.left + u.bbox.width, y); ctx.stroke();
      }
      ctx.setLineDash([]);
      ctx.fillStyle = "#8250df";
      for (const e of exemplars) {
        const x = u.valToPos(e.t, "x", true), y = u.valToPos(e.v, "y", true);
        ctx.beginPath(); ctx.moveTo(x, y - 4); ctx.lineTo(x + 4, y); ctx.lineTo(x, y + 4); ctx.lineTo(x - 4, y); ctx.fill();
      }
      ctx.restore();
    }] },
  }, data, container);
  if (exemplars.length > 0) container.appendChild(exemplarLinks(exemplars, opts));
  container.plot = plot;
  return drawn;
}

/** The slowest exemplars as links: the trace in Zipkin, and its log lines in the console. */
function exemplarLinks(exemplars, opts) {
  const div = document.createElement("div");
  div.className = "exemplars";
  div.append("exemplars (slowest first): ");
  const shown = exemplars.slice().sort((a, b) => b.v - a.v).slice(0, 8);
  for (const e of shown) {
    div.appendChild(traceLinks(e.trace_id, formatValue(e.v, opts.unit) + " trace " + e.trace_id.substring(0, 8), "exemplar"));
  }
  return div;
}

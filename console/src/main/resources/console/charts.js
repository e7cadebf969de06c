// Charts shared by the console's pages: uPlot time series with threshold lines, exemplars (each a
// dot, and a link to its trace and its logs below the chart), annotations (faults and drills as
// shaded bands), a legend that shows each series' latest value when the cursor is elsewhere
// (Grafana's legend "last"), times in one zone (UTC unless the browser's is chosen) and drag-to-zoom.
"use strict";

const PALETTE = ["#0969da", "#cf222e", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7b83", "#57606a"];
const COLORS = { green: "#1a7f37", red: "#cf222e", orange: "#bc4c00", yellow: "#9a6700", blue: "#0969da" };
const ANNOTATION_COLORS = { fault: "rgba(207, 34, 46, 0.12)", drill: "rgba(130, 80, 223, 0.12)" };
const ANNOTATION_LINES = { fault: "#cf222e", drill: "#8250df" };

/** The colour of a value on a threshold scale [{color, value}], base step first. */
function thresholdColor(v, steps) {
  let color = null;
  for (const s of steps || []) if (s.value == null || v >= s.value) color = s.color;
  return COLORS[color] || color || "inherit";
}

/** The latest non-null value of a series' data, or null. */
function lastValue(values) {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] != null) return values[i];
  return null;
}

/**
 * An axis tick's label: as many decimals as the ticks' increment needs (so neighbouring ticks never
 * read the same), in the panel's unit.
 */
function axisValue(v, unit, decimals, incr) {
  const digits = x => Math.max(0, Math.min(6, Math.ceil(-Math.log10(x) - 1e-9)));
  switch (unit) {
    case "percentunit": return formatValue(v, unit, digits(incr * 100));
    case "s": return formatValue(v, unit, Math.abs(v) < 1 ? digits(incr * 1000) : digits(incr));
    case "bytes": return formatValue(v, unit);
    default: {
      if (decimals === 0 && !Number.isInteger(v)) return "";
      return formatValue(v, unit, digits(incr));
    }
  }
}

/** The width an axis needs for its longest label (uPlot's own size is fixed and cuts long labels). */
function axisSize(u, values, axisIdx, cycleNum) {
  const axis = u.axes[axisIdx];
  if (cycleNum > 1) return axis._size;
  let size = axis.ticks.size + axis.gap + 8;
  const longest = (values || []).reduce((a, v) => (v != null && String(v).length > a.length ? String(v) : a), "");
  if (longest !== "") {
    u.ctx.font = axis.font[0];
    size += u.ctx.measureText(longest).width / devicePixelRatio;
  }
  return Math.ceil(size);
}

/**
 * Draws series [{name, points: [[t, v]]}] as one uPlot chart in container.
 * opts: start, end (epoch s), unit, decimals, min, max, lines ([{value, color, label}]), exemplars
 * ([{t, v, trace_id}]), annotations ([{kind, name, start, end}], epoch s), height, onZoom(from, to)
 * (called with the range selected by dragging; without it the chart zooms in place).
 * Returns the number of points drawn. The container carries data-points, data-annotations (the
 * names of the annotations drawn in range) and .plot (the uPlot instance).
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
  const annotations = (opts.annotations || []).filter(a => a.end >= opts.start && a.start <= opts.end);
  const width = Math.max(260, container.clientWidth);
  if (container.plot) container.plot.destroy();
  container.plot = null;
  container.replaceChildren();
  const drawn = series.reduce((n, s) => n + s.points.length, 0);
  container.dataset.points = String(drawn);
  container.dataset.annotations = annotations.map(a => a.kind + ": " + a.name).join("\n");
  if (series.length === 0) {
    const p = document.createElement("p");
    p.className = "empty";
    p.textContent = "no data";
    container.appendChild(p);
    return 0;
  }
  const fmt = v => formatValue(v, opts.unit, opts.decimals);
  const zone = chartZone();
  const plot = new uPlot({
    width: width, height: opts.height || 220,
    tzDate: ts => uPlot.tzDate(new Date(ts * 1e3), zone),
    cursor: { drag: { x: true, y: false, setScale: !opts.onZoom } },
    scales: { x: { time: true, range: [opts.start, opts.end] },
      y: { range: (u, lo, hi) => {
        const min = opts.min != null ? opts.min : Math.min(lo == null ? 0 : lo, 0);
        let max = opts.max != null ? opts.max : Math.max(hi == null ? 0 : hi, ...lines.map(l => l.value * 1.1));
        // an all-zero panel: a unit range, never ticks of 1e-9
        if (!(max > min)) max = min + 1;
        return [min, max];
      } } },
    axes: [
      { values: (u, splits, ai, space, incr) => splits.map(t => timeTick(t, incr, opts.end - opts.start)), size: 44,
        // room for "MM-DD HH:mm" over more than a day: no overlapping labels on narrow panels
        space: opts.end - opts.start > 86400 ? 90 : 55 },
      { values: (u, splits, ai, space, incr) => splits.map(v => axisValue(v, opts.unit, opts.decimals, incr)), size: axisSize },
    ],
    series: [{ label: "time", value: (u, t) => (t == null ? "latest" : formatTime(t)) }].concat(series.map((s, i) => ({ label: s.name,
      stroke: PALETTE[i % PALETTE.length], width: 1.5,
      // without a cursor over the chart, the series' latest value
      value: (u, v, sidx, idx) => fmt(idx == null ? lastValue(u.data[sidx]) : v),
      points: { show: s.points.length < 40 } }))),
    hooks: {
      draw: [u => {
        const ctx = u.ctx;
        ctx.save();
        const top = u.bbox.top, height = u.bbox.height;
        annotations.forEach((a, i) => {
          const x0 = u.valToPos(Math.max(a.start, opts.start), "x", true);
          const x1 = u.valToPos(Math.min(a.end, opts.end), "x", true);
          ctx.fillStyle = ANNOTATION_COLORS[a.kind] || ANNOTATION_COLORS.fault;
          ctx.fillRect(x0, top, Math.max(2, x1 - x0), height);
          ctx.strokeStyle = ANNOTATION_LINES[a.kind] || ANNOTATION_LINES.fault;
          ctx.lineWidth = 1;
          ctx.beginPath(); ctx.moveTo(x0, top); ctx.lineTo(x0, top + height); ctx.stroke();
          ctx.fillStyle = ctx.strokeStyle;
          ctx.font = (10 * devicePixelRatio) + "px system-ui, sans-serif";
          // labels of neighbouring annotations on lines of their own
          ctx.fillText(a.name, x0 + 3 * devicePixelRatio, top + (11 + 11 * (i % 3)) * devicePixelRatio);
        });
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
      }],
      setSelect: [u => {
        if (!opts.onZoom || u.select.width < 2) return;
        const from = u.posToVal(u.select.left, "x"), to = u.posToVal(u.select.left + u.select.width, "x");
        u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        opts.onZoom(Math.floor(from), Math.ceil(to));
      }],
    },
  }, data, container);
  hideAllZeroSeries(plot, container, series);
  if (annotations.length > 0) container.appendChild(annotationList(annotations));
  if (exemplars.length > 0) container.appendChild(exemplarLinks(exemplars, opts));
  container.plot = plot;
  return drawn;
}

/**
 * Hides from the legend the series whose every value is 0 (Grafana's "hide series with only
 * zeros"), unless all are; says how many it hid.
 */
function hideAllZeroSeries(plot, container, series) {
  const zero = series.map(s => s.points.every(p => p[1] === 0));
  const hidden = zero.filter(z => z).length;
  if (hidden === 0 || hidden === series.length) return;
  const rows = plot.root.querySelectorAll(".u-legend .u-series");
  zero.forEach((z, i) => { if (z && rows[i + 1]) rows[i + 1].hidden = true; });
  const note = document.createElement("div");
  note.className = "legend-note empty";
  note.textContent = hidden + (hidden === 1 ? " series" : " series") + " at 0 throughout not listed";
  container.appendChild(note);
}

/** The annotations in range, listed under the chart with their times. */
function annotationList(annotations) {
  const div = document.createElement("div");
  div.className = "annotations";
  for (const a of annotations) {
    const span = document.createElement("span");
    span.className = "annotation annotation-" + a.kind;
    span.textContent = a.kind + " " + a.name + ": " + formatTime(a.start) + " to " + (a.ongoing ? "now" : formatTime(a.end));
    div.appendChild(span);
  }
  return div;
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

/**
 * The faults and drills in a range (/api/annotations), for drawTimeSeries' annotations; an empty
 * list when the console cannot say (annotations never stop a chart).
 */
async function fetchAnnotations(range, end) {
  try {
    const q = new URLSearchParams({ range: range });
    if (end != null) q.set("end", String(end));
    return await getJson("/api/annotations?" + q);
  } catch (e) {
    return [];
  }
}

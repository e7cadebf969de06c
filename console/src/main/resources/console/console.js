// Shared by the console's pages: fetch JSON (problem+json errors shown on the page) and build table rows.
"use strict";

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.detail || ("HTTP " + response.status + " from " + url));
  }
  return body;
}

function showError(error) {
  const p = document.getElementById("error");
  p.textContent = String(error.message || error);
  p.hidden = false;
}

function clearError() {
  document.getElementById("error").hidden = true;
}

/** A table cell: text, or a node; class "num" for numbers. */
function cell(content, className) {
  const td = document.createElement("td");
  if (content instanceof Node) td.appendChild(content); else td.textContent = content == null ? "" : String(content);
  if (className) td.className = className;
  return td;
}

function badge(state) {
  const span = document.createElement("span");
  span.className = "state state-" + String(state).replace(/ /g, "-");
  span.textContent = state;
  return span;
}

function fillTable(id, rows, toCells, emptyText) {
  const tbody = document.querySelector("#" + id + " tbody");
  tbody.replaceChildren();
  if (rows.length === 0) {
    const tr = document.createElement("tr");
    const td = cell(emptyText, "empty");
    td.colSpan = document.querySelectorAll("#" + id + " thead th").length;
    tr.appendChild(td);
    tbody.appendChild(tr);
    return;
  }
  for (const row of rows) {
    const tr = document.createElement("tr");
    toCells(row).forEach(td => tr.appendChild(td));
    tbody.appendChild(tr);
  }
}

function percent(value, digits) {
  return value == null ? "no data" : value.toFixed(digits) + "%";
}

/** Runs refresh now and every intervalMs while the tab is visible. */
function every(intervalMs, refresh) {
  refresh();
  setInterval(() => { if (!document.hidden) refresh(); }, intervalMs);
}

/** A value in a Grafana unit id (percentunit, s, bytes, reqps, short, none). */
function formatValue(v, unit, decimals) {
  if (v == null || !isFinite(v)) return "no data";
  const d = decimals == null ? null : decimals;
  switch (unit) {
    case "percentunit": return (v * 100).toFixed(d == null ? 2 : d) + "%";
    case "s": return v < 1 ? (v * 1000).toFixed(d == null ? 1 : d) + " ms" : v.toFixed(d == null ? 3 : d) + " s";
    case "bytes": {
      const units = ["B", "KiB", "MiB", "GiB", "TiB"];
      let i = 0, x = v;
      while (Math.abs(x) >= 1024 && i < units.length - 1) { x /= 1024; i++; }
      return x.toFixed(d == null ? 1 : d) + " " + units[i];
    }
    case "reqps": return v.toFixed(d == null ? 2 : d) + " req/s";
    default: return d == null ? (Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toPrecision(3)).toString()) : v.toFixed(d);
  }
}

/** The Zipkin UI's page of a trace (window.vigilConfig comes from /api/config.js). */
function zipkinTraceUrl(traceId) {
  return (window.vigilConfig ? window.vigilConfig.zipkin : "http://127.0.0.1:9411") + "/zipkin/traces/" + encodeURIComponent(traceId);
}

/**
 * The links of one trace: its spans in the local Zipkin UI (class kind-trace, text as given) and
 * its log lines in the console (class kind-logs).
 */
function traceLinks(traceId, text, kind) {
  const span = document.createElement("span");
  const trace = document.createElement("a");
  trace.className = kind + "-trace";
  trace.href = zipkinTraceUrl(traceId);
  trace.target = "_blank";
  trace.textContent = text;
  const logs = document.createElement("a");
  logs.className = kind + "-logs";
  logs.href = "/logs.html?trace=" + encodeURIComponent(traceId);
  logs.textContent = "(logs)";
  span.append(trace, " ", logs);
  return span;
}

/** The zone charts and times are shown in: UTC unless the browser's was chosen (kept in localStorage). */
function chartZone() {
  return localStorage.getItem("vigil-zone") === "browser" ? Intl.DateTimeFormat().resolvedOptions().timeZone : "UTC";
}

const zoneFormats = new Map();

/** The parts of an instant in the chosen zone: {year, month, day, hour, minute, second}. */
function zoneParts(date) {
  const zone = chartZone();
  if (!zoneFormats.has(zone)) {
    zoneFormats.set(zone, new Intl.DateTimeFormat("en-GB", { timeZone: zone, hourCycle: "h23", year: "numeric",
      month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }));
  }
  const parts = {};
  for (const p of zoneFormats.get(zone).formatToParts(date)) parts[p.type] = p.value;
  return parts;
}

/** The zone's short name for labels: "UTC", or the browser's (e.g. "Europe/Paris"). */
function zoneLabel() {
  return chartZone() === "UTC" ? "UTC" : chartZone();
}

/**
 * An instant (epoch seconds, or ISO-8601 text as the API writes it) to the second in the chosen
 * zone: "2026-11-21 19:30:00 UTC". Null or unparsable: "".
 */
function formatTime(t) {
  if (t == null || t === "") return "";
  const date = typeof t === "number" ? new Date(t * 1000) : new Date(t);
  if (isNaN(date.getTime())) return String(t);
  const p = zoneParts(date);
  return p.year + "-" + p.month + "-" + p.day + " " + p.hour + ":" + p.minute + ":" + p.second + " " + zoneLabel();
}

/** An x-axis tick: seconds, minutes or the day, as the ticks' increment needs, 24-hour. */
function timeTick(t, incr, span) {
  const p = zoneParts(new Date(t * 1000));
  if (incr >= 86400) return p.month + "-" + p.day;
  const time = p.hour + ":" + p.minute + (incr < 60 ? ":" + p.second : "");
  return span > 86400 ? p.month + "-" + p.day + " " + time : time;
}

/** How long ago an instant was, e.g. "3 min ago" (its exact time as the element's title). */
function relativeTime(t) {
  const date = typeof t === "number" ? new Date(t * 1000) : new Date(t);
  const span = document.createElement("span");
  span.className = "ago";
  if (t == null || isNaN(date.getTime())) return span;
  const s = Math.round((Date.now() - date.getTime()) / 1000);
  const abs = Math.abs(s);
  const text = abs < 60 ? abs + " s" : abs < 3600 ? Math.round(abs / 60) + " min"
    : abs < 86400 ? (abs / 3600).toFixed(1) + " h" : (abs / 86400).toFixed(1) + " d";
  span.textContent = s >= 0 ? text + " ago" : "in " + text;
  span.title = formatTime(t);
  return span;
}

/** The header's zone chooser: UTC or the browser's zone; choosing reloads the page. */
function addZoneChooser() {
  const header = document.querySelector("header");
  if (!header || document.getElementById("zone")) return;
  const label = document.createElement("label");
  label.className = "zone";
  label.append("times in ");
  const select = document.createElement("select");
  select.id = "zone";
  select.add(new Option("UTC", "utc"));
  select.add(new Option("browser (" + Intl.DateTimeFormat().resolvedOptions().timeZone + ")", "browser"));
  select.value = localStorage.getItem("vigil-zone") === "browser" ? "browser" : "utc";
  select.addEventListener("change", () => { localStorage.setItem("vigil-zone", select.value); location.reload(); });
  label.appendChild(select);
  header.appendChild(label);
}

addZoneChooser();

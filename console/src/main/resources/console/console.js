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

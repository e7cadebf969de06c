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

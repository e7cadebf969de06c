// The errors page: each service's error groups from its admin API (read by the console with the
// stack's token, server-side), or why they cannot be shown; refreshed every 15 s.
"use strict";

/** An ISO-8601 instant to the second: 2026-12-02 09:08:04Z. */
function shortTime(iso) {
  return iso == null ? "" : iso.replace("T", " ").replace(/\.\d+Z$/, "Z");
}

function serviceSection(s) {
  const section = document.createElement("section");
  section.className = "service-errors";
  section.dataset.service = s.service;
  section.dataset.state = s.state;
  const h = document.createElement("h2");
  h.append(s.service + " ", badge(s.state));
  if (s.release) h.append(" release " + s.release);
  section.appendChild(h);
  if (s.state !== "ok") {
    const p = document.createElement("p");
    p.className = "detail";
    p.textContent = s.detail;
    section.appendChild(p);
    return section;
  }
  const table = document.createElement("table");
  table.className = "groups";
  table.innerHTML = "<thead><tr><th>type</th><th>message</th><th>fingerprint</th><th>count</th><th>first seen</th>"
    + "<th>last seen</th><th>release</th><th>latest traces</th></tr></thead><tbody></tbody>";
  section.appendChild(table);
  const tbody = table.querySelector("tbody");
  if (s.groups.length === 0) {
    const tr = document.createElement("tr");
    const td = cell("no unhandled exception since " + s.service + " started", "empty");
    td.colSpan = 8;
    tr.appendChild(td);
    tbody.appendChild(tr);
    return section;
  }
  for (const g of s.groups) {
    const tr = document.createElement("tr");
    tr.dataset.fingerprint = g.fingerprint;
    const type = document.createElement("code");
    // the class's own name; the full name and the top application frames on hover
    type.textContent = g.type.substring(g.type.lastIndexOf(".") + 1);
    type.title = [g.type].concat(g.frames).join("\n");
    const traces = document.createElement("span");
    traces.className = "traces";
    for (const id of g.trace_ids) traces.append(traceLinks(id, id.substring(0, 8), "error"));
    if (g.trace_ids.length === 0) traces.textContent = "no trace";
    [cell(type), cell(g.message), cell(g.fingerprint), cell(g.count, "num"), cell(shortTime(g.first_seen)), cell(shortTime(g.last_seen)),
      cell(g.release), cell(traces)].forEach(td => tr.appendChild(td));
    tbody.appendChild(tr);
  }
  return section;
}

async function refreshErrors() {
  try {
    const e = await getJson("/api/errors");
    clearError();
    const div = document.getElementById("services");
    div.replaceChildren(...e.services.map(serviceSection));
    if (e.services.length === 0) div.textContent = "no service's admin API is configured (vigil console --admin)";
    document.getElementById("updated").textContent = "as of " + formatTime(Date.now() / 1000);
    if (performance.getEntriesByName("vigil-drawn").length === 0) performance.mark("vigil-drawn");
  } catch (err) {
    showError(err);
  }
}

every(15000, refreshErrors);

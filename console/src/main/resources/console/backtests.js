// The backtests page: the saved backtest reports, and one shown (?id=<file>, else the newest) in a
// sandboxed frame (the report is self-contained HTML served without scripts).
"use strict";

function backtestLink(b, chosen) {
  const a = document.createElement("a");
  a.href = "/backtests.html?id=" + encodeURIComponent(b.id);
  a.textContent = b.saved_at;
  a.title = b.id;
  if (b.id === chosen) a.className = "chosen";
  return a;
}

async function loadBacktests() {
  try {
    const list = await getJson("/api/backtests");
    const chosen = new URLSearchParams(location.search).get("id") || (list.backtests.length > 0 ? list.backtests[0].id : null);
    fillTable("backtests", list.backtests, b => [cell(backtestLink(b, chosen)), cell(b.id), cell(formatValue(b.bytes, "bytes"), "num")],
      "no saved backtest in " + list.directory + ": write one with ./vigil slo backtest slos/ --from 1h --format html");
    if (chosen) {
      document.getElementById("report").hidden = false;
      document.getElementById("report-title").textContent = chosen;
      document.getElementById("report-frame").src = "/api/backtests/" + encodeURIComponent(chosen);
    }
    if (performance.getEntriesByName("vigil-drawn").length === 0) performance.mark("vigil-drawn");
  } catch (e) {
    showError(e);
  }
}

loadBacktests();

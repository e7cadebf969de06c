// The home page: SLOs by remaining budget, alerts, services, notifications; refreshed every 15 s.
"use strict";

/** A link to an alert's rule on the Alerts page: its name and the labels that tell its rules apart. */
function alertLink(name, labels) {
  const keys = ["service", "slo", "long_window", "short_window"].filter(k => labels[k] != null).map(k => k + "=" + labels[k]);
  const link = document.createElement("a");
  link.href = "/alerts.html#" + encodeURIComponent(keys.length === 0 ? name : name + "{" + keys.join(",") + "}");
  link.textContent = name;
  return link;
}

async function refreshHome() {
  try {
    const o = await getJson("/api/overview");
    clearError();
    fillTable("slos", o.slos, s => {
      const link = document.createElement("a");
      link.href = "/slo.html?service=" + encodeURIComponent(s.service) + "&slo=" + encodeURIComponent(s.slo);
      link.textContent = s.slo;
      return [cell(s.service), cell(link), cell(s.objective_percent + "%", "num"), cell(percent(s.sli_percent, 4), "num"),
        cell(percent(s.remaining_percent, 1), "num"), cell(badge(s.state))];
    }, "no SLOs in the specs");
    fillTable("alerts", o.alerts, a => [cell(alertLink(a.name, a.labels)), cell(badge(a.state)), cell(a.labels.service), cell(a.labels.severity),
      cell(relativeTime(a.activeAt))], "no alert is pending or firing");
    fillTable("services", o.services, t => [cell(t.job), cell(t.instance), cell(badge(t.health)), cell(t.lastError)],
      "Prometheus has no scrape targets");
    fillTable("notifications", o.notifications, n => [cell(relativeTime(n.received_at)), cell(n.receiver), cell(badge(n.status)),
      cell(n.alertname), cell(n.service)], "no notification received yet");
    document.getElementById("updated").textContent = "as of " + formatTime(o.at);
    if (performance.getEntriesByName("vigil-drawn").length === 0) performance.mark("vigil-drawn");
  } catch (e) {
    showError(e);
  }
}

every(15000, refreshHome);

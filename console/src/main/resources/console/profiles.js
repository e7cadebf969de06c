// The profiles page: the saved recordings, and one summarised (?id=<file>, else the newest).
"use strict";

function code(text) {
  const c = document.createElement("code");
  c.textContent = text;
  return c;
}

function share(r) {
  return cell((r.share * 100).toFixed(1) + "%", "num");
}

function ms(v) {
  return v.toFixed(1) + " ms";
}

function profileLink(p, chosen) {
  const a = document.createElement("a");
  a.href = "/profiles.html?id=" + encodeURIComponent(p.id);
  a.textContent = p.recorded_at ? formatTime(p.recorded_at) : p.id;
  a.title = p.id;
  if (p.id === chosen) a.className = "chosen";
  return a;
}

function showSummary(s) {
  document.getElementById("summary").hidden = false;
  document.getElementById("summary-title").textContent = "Profile of " + (s.service || "?") + " recorded " + formatTime(s.recorded_at)
    + " (" + (s.settings || "?") + " settings)";
  document.getElementById("summary-window").textContent = "Window " + s.start + " to " + s.end + " (" + s.window_seconds.toFixed(1)
    + " s), " + s.cpu_samples + " CPU samples; file " + s.id;
  fillTable("top-methods", s.top_methods, r => [cell(code(r.name)), cell(r.count, "num"), share(r)], "no CPU sample recorded");
  fillTable("top-frames", s.top_application_frames, r => [cell(code(r.name)), cell(r.count, "num"), share(r)],
    "no application frame in the sampled stacks");
  fillTable("allocations", s.allocation_sites, r => [cell(code(r.name)), cell(formatValue(r.count, "bytes"), "num"), share(r)],
    "no allocation sample recorded");
  document.getElementById("gc-total").textContent = "Total paused " + ms(s.gc_pause_total_ms) + " (the longest collections below).";
  fillTable("gc-pauses", s.gc_pauses, g => [cell(formatTime(g.at)), cell(g.collector), cell(g.cause), cell(ms(g.pause_ms), "num")],
    "no garbage collection in the window");
  fillTable("locks", s.contended_locks, l => [cell(code(l.monitor_class)), cell(code(l.frame)), cell(l.waits, "num"),
    cell(ms(l.total_ms), "num"), cell(ms(l.longest_ms), "num")], "no thread waited on a monitor past the threshold");
  fillTable("slowest", s.slowest_requests, r => [cell(ms(r.duration_ms), "num"), cell(r.method), cell(code(r.route || "(no route)")),
    cell(r.status, "num"), cell(r.trace_id ? traceLinks(r.trace_id, r.trace_id.substring(0, 8), "request") : "no trace"), cell(formatTime(r.at))],
    "no request was served in the window");
}

async function loadProfiles() {
  try {
    const list = await getJson("/api/profiles");
    const chosen = new URLSearchParams(location.search).get("id") || (list.profiles.length > 0 ? list.profiles[0].id : null);
    fillTable("profiles", list.profiles, p => [cell(profileLink(p, chosen)), cell(p.service), cell(p.settings),
      cell(formatValue(p.bytes, "bytes"), "num")],
      "no saved profile in " + list.directory + ": record one with ./vigil profile --service catalog --seconds 30");
    if (chosen) showSummary(await getJson("/api/profiles/" + encodeURIComponent(chosen)));
    if (performance.getEntriesByName("vigil-drawn").length === 0) performance.mark("vigil-drawn");
  } catch (e) {
    showError(e);
  }
}

loadProfiles();

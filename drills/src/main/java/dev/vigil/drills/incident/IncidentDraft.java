package dev.vigil.drills.incident;

import dev.vigil.drills.budget.BudgetChange;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.receiver.Notification;
import dev.vigil.stack.receiver.NotificationLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Drafts a postmortem in the shape of docs/postmortem-template.md for a time window, from what the
 * system recorded: Prometheus's alert history (the {@code ALERTS} series: pending and firing per
 * alert), the receiver's notifications (what reached whom, with the runbook links), the fault log
 * (the drill's fault start and end when drafting from a drill report, and the {@code
 * vigil_fault_active} series of the admin API) and the error budget of every SLO ({@code
 * slo:error_budget_remaining:ratio} at the window's start minus at its end). What only a human can
 * write (root cause, action items, lessons) stays a placeholder.
 *
 * <p>The Watchdog heartbeat is left out of the timeline: it always fires.
 */
public final class IncidentDraft {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  /**
   * A fault: from the drill's own log, or an admin fault from {@code vigil_fault_active}.
   *
   * @param description what the fault was, e.g. {@code bursts of 100 GET /data/error}
   * @param service the service it acted on ({@code service} label), or null when unknown
   * @param start when it started
   * @param end when it was cleared, or null
   */
  public record FaultRecord(String description, String service, Instant start, Instant end) {}

  /**
   * One alert of the window, from the {@code ALERTS} history and the notifications.
   *
   * @param name the alert name
   * @param labels its identifying labels (severity, slo...)
   * @param pendingAt first pending sample in the window, or null
   * @param firingAt first firing sample, or null
   * @param lastFiringAt last firing sample, or null
   * @param activeAtStart whether it was already pending or firing at the window's first sample: it
   *     began before the window, and its first times are the window's start, not its own
   * @param notifications the notifications about it, in time order
   */
  public record AlertHistory(
      String name,
      Map<String, String> labels,
      Instant pendingAt,
      Instant firingAt,
      Instant lastFiringAt,
      boolean activeAtStart,
      List<Notification> notifications) {}

  /**
   * What the draft is written from: the window and what the stack recorded in it.
   *
   * @param title the title, e.g. {@code drill server-error-burst}
   * @param from the window's start (the fault's start for a drill)
   * @param to its end
   * @param faults the faults of the window (the drill's, the admin API's), may be empty
   * @param expected the alerts the drill expects, in its order; empty for an incident
   * @param alerts the window's alerts ({@link #alerts})
   * @param budgets each SLO's budget change ({@link #budgets})
   */
  public record Recorded(
      String title,
      Instant from,
      Instant to,
      List<FaultRecord> faults,
      List<String> expected,
      List<AlertHistory> alerts,
      List<BudgetChange> budgets) {}

  private final PrometheusClient prometheus;
  private final NotificationLog notifications;
  private final Path runbooks;
  private final Path draftDir;

  /**
   * A drafter reading one stack's records.
   *
   * @param prometheus the stack's Prometheus
   * @param notifications the receiver's log
   * @param runbooks the runbook directory ({@code docs/runbooks}), to link local files
   * @param draftDir the directory the draft will be written to (the working directory when it is
   *     printed): runbook links are relative to it, so they open from wherever the draft lies
   */
  public IncidentDraft(
      PrometheusClient prometheus, NotificationLog notifications, Path runbooks, Path draftDir) {
    this.prometheus = prometheus;
    this.notifications = notifications;
    this.runbooks = runbooks;
    this.draftDir = draftDir;
  }

  /**
   * The alerts of a window from {@code ALERTS}, with their notifications.
   *
   * @param from the window's start
   * @param to its end
   * @return one history per alert series (Watchdog left out), by first activity
   * @throws IOException when Prometheus does not answer
   */
  public List<AlertHistory> alerts(Instant from, Instant to) throws IOException {
    double step = Math.max(1, Duration.between(from, to).toSeconds() / 5000.0);
    // a sample at the window's first step: the alert was active before the window began
    Instant firstStep = from.plusMillis(Math.max(500, Math.round(step * 500)));
    Map<String, Instant[]> byKey = new TreeMap<>();
    Map<String, Map<String, String>> labelsByKey = new LinkedHashMap<>();
    for (PrometheusClient.RangeSeries s :
        prometheus.range("ALERTS{alertname!=\"Watchdog\"}", from, to, step)) {
      Map<String, String> labels = new TreeMap<>(s.labels());
      String state = labels.remove("alertstate");
      labels.remove("__name__");
      String key = labels.toString();
      labelsByKey.put(key, labels);
      Instant[] times = byKey.computeIfAbsent(key, k -> new Instant[3]);
      for (PrometheusClient.Point p : s.points()) {
        if (p.value() <= 0) {
          continue;
        }
        Instant at = Instant.ofEpochMilli(Math.round(p.epochSeconds() * 1000));
        if ("pending".equals(state)) {
          times[0] = min(times[0], at);
        } else {
          times[1] = min(times[1], at);
          times[2] = times[2] == null || at.isAfter(times[2]) ? at : times[2];
        }
      }
    }
    List<Notification> log =
        notifications.readAll().stream()
            .filter(n -> !n.receivedAt().isBefore(from) && !n.receivedAt().isAfter(to))
            .filter(n -> !"Watchdog".equals(n.alertname()))
            .toList();
    List<AlertHistory> out = new ArrayList<>();
    for (Map.Entry<String, Instant[]> e : byKey.entrySet()) {
      Map<String, String> labels = labelsByKey.get(e.getKey());
      String name = labels.get("alertname");
      List<Notification> about =
          log.stream()
              .filter(n -> name.equals(n.alertname()))
              .filter(
                  n ->
                      labels.entrySet().stream()
                          .allMatch(
                              l ->
                                  n.labels() == null
                                      || !n.labels().containsKey(l.getKey())
                                      || n.labels().get(l.getKey()).equals(l.getValue())))
              .toList();
      Map<String, String> shown = new TreeMap<>(labels);
      shown.remove("alertname");
      Instant[] t = e.getValue();
      Instant first = t[0] == null ? t[1] : t[1] == null ? t[0] : min(t[0], t[1]);
      boolean activeAtStart = first != null && !first.isAfter(firstStep);
      out.add(new AlertHistory(name, shown, t[0], t[1], t[2], activeAtStart, about));
    }
    out.sort(
        Comparator.comparing(
            (AlertHistory a) -> a.pendingAt() != null ? a.pendingAt() : a.firingAt(),
            Comparator.nullsLast(Comparator.naturalOrder())));
    return out;
  }

  /**
   * Each SLO's budget change over the window, from the recorded series.
   *
   * @param from the window's start
   * @param to its end
   * @return one change per SLO with a recorded budget, by SLO name
   * @throws IOException when Prometheus does not answer
   */
  public List<BudgetChange> budgets(Instant from, Instant to) throws IOException {
    return BudgetChange.between(
        BudgetChange.remaining(prometheus, from), BudgetChange.remaining(prometheus, to), Set.of());
  }

  /**
   * Faults the admin API reported active in the window ({@code vigil_fault_active == 1}).
   *
   * @param from the window's start
   * @param to its end
   * @return one record per fault and target, empty when there were none (or no admin API)
   * @throws IOException when Prometheus does not answer
   */
  public List<FaultRecord> adminFaults(Instant from, Instant to) throws IOException {
    double step = Math.max(1, Duration.between(from, to).toSeconds() / 5000.0);
    List<FaultRecord> out = new ArrayList<>();
    for (PrometheusClient.RangeSeries s : prometheus.range("vigil_fault_active", from, to, step)) {
      Instant start = null;
      Instant end = null;
      for (PrometheusClient.Point p : s.points()) {
        Instant at = Instant.ofEpochMilli(Math.round(p.epochSeconds() * 1000));
        if (p.value() > 0) {
          start = start == null ? at : start;
          end = null;
        } else if (start != null && end == null) {
          end = at;
        }
      }
      if (start != null) {
        out.add(
            new FaultRecord(
                "admin fault "
                    + s.labels().get("fault")
                    + " on "
                    + s.labels().getOrDefault("service", s.labels().get("job"))
                    + " target "
                    + s.labels().get("target"),
                s.labels().getOrDefault("service", s.labels().get("job")),
                start,
                end));
      }
    }
    return out;
  }

  /**
   * The postmortem draft of a window, from what the stack recorded in it.
   *
   * @param title the title, e.g. {@code drill server-error-burst}
   * @param from the window's start (first impact: the fault's start when known)
   * @param to its end
   * @param faults faults known from outside Prometheus (a drill's log), may be empty
   * @param expected the alerts the drill expects, in its order (the first to fire detects); empty
   *     for an incident that is no drill
   * @return the markdown
   * @throws IOException when Prometheus does not answer
   */
  public String markdown(
      String title, Instant from, Instant to, List<FaultRecord> faults, List<String> expected)
      throws IOException {
    List<FaultRecord> allFaults = new ArrayList<>(faults);
    allFaults.addAll(adminFaults(from, to));
    return render(
        new Recorded(title, from, to, allFaults, expected, alerts(from, to), budgets(from, to)));
  }

  /**
   * The postmortem draft of recorded data: the alerts are sorted by {@link FaultAttribution}; the
   * detection, the severity and the services affected come from the alerts related to the fault;
   * each alert's times are its own, and times to detect and resolve are measured against the fault
   * only for related alerts that started in the window.
   *
   * @param r the window and its records
   * @return the markdown
   */
  public String render(Recorded r) {
    Instant from = r.from();
    Instant to = r.to();
    List<FaultRecord> allFaults = r.faults();
    FaultAttribution attribution =
        FaultAttribution.of(
            r.alerts(),
            r.expected(),
            allFaults.stream().map(FaultRecord::service).filter(s -> s != null).toList());
    List<AlertHistory> related = attribution.related();
    Instant firstImpact =
        allFaults.stream().map(FaultRecord::start).min(Instant::compareTo).orElse(from);
    StringBuilder md = new StringBuilder();
    md.append("# Postmortem: ").append(r.title()).append(" (DRAFT)\n\n");
    md.append(
        "> Drafted by `vigil incident draft` from Prometheus's alert history, the receiver's"
            + " notifications and the fault log. Every `<...>` is for a human to write.\n\n");
    md.append("| | |\n|---|---|\n");
    md.append("| **Date** | ").append(from.atZone(ZoneOffset.UTC).toLocalDate()).append(" |\n");
    md.append("| **Duration** | ")
        .append(Duration.between(from, to).toSeconds())
        .append(" s (")
        .append(TIME.format(from))
        .append(" - ")
        .append(TIME.format(to))
        .append(" UTC) |\n");
    boolean paged =
        related.stream()
            .anyMatch(a -> a.firingAt() != null && "critical".equals(a.labels().get("severity")));
    md.append("| **Severity** | ")
        .append(paged ? "<SEV1 or SEV2: a critical alert paged>" : "<SEV3: no page>")
        .append(" |\n");
    md.append("| **Incident commander** | <name> |\n");
    Set<String> affected = new java.util.LinkedHashSet<>(attribution.services());
    related.stream()
        .map(a -> a.labels().get("service"))
        .filter(s -> s != null)
        .forEach(affected::add);
    md.append("| **Services affected** | ").append(String.join(", ", affected)).append(" |\n");
    AlertHistory first = attribution.detectedBy();
    md.append("| **Detected by** | ")
        .append(
            first == null
                ? "<no alert related to the fault fired>"
                : first.name() + labels(first.labels()) + " at " + TIME.format(first.firingAt()))
        .append(" |\n");
    md.append("| **Status** | draft |\n\n");

    md.append(
            "## Executive summary\n\n<three to five sentences: what happened, impact, root cause,")
        .append(" mitigation, action items>\n\n");
    md.append("## Impact\n\n**SLO and error budget** (from `slo:error_budget_remaining:ratio` at ")
        .append(from)
        .append(" and at ")
        .append(to)
        .append(")\n\n")
        .append(
            BudgetChange.markdownTable(
                r.budgets(), b -> b, "Consumed in the window", List.of(), b -> List.of()));
    md.append(
        "\n**Business**\n- <failed orders, revenue, support tickets, customers affected>\n\n");

    md.append("## Timeline (all times UTC)\n\n| Time | Event |\n|------|-------|\n");
    List<Object[]> events = new ArrayList<>();
    for (FaultRecord f : allFaults) {
      events.add(new Object[] {f.start(), "Fault starts: " + f.description()});
      if (f.end() != null) {
        events.add(new Object[] {f.end(), "Fault cleared: " + f.description()});
      }
    }
    for (AlertHistory a : r.alerts()) {
      String name = a.name() + labels(a.labels());
      if (a.activeAtStart()) {
        // ALERTS has one series per state: firing first means it was firing at the window's start
        boolean firingAtStart =
            a.firingAt() != null && (a.pendingAt() == null || !a.firingAt().isAfter(a.pendingAt()));
        events.add(
            new Object[] {
              from,
              (firingAtStart
                      ? "Alert already firing when the window began: `"
                      : "Alert already pending when the window began: `")
                  + name
                  + "`"
            });
        if (!firingAtStart && a.firingAt() != null) {
          events.add(new Object[] {a.firingAt(), "Alert fires: `" + name + "`"});
        }
      } else {
        if (a.pendingAt() != null) {
          events.add(new Object[] {a.pendingAt(), "Alert pending: `" + name + "`"});
        }
        if (a.firingAt() != null) {
          events.add(new Object[] {a.firingAt(), "Alert fires: `" + name + "`"});
        }
      }
      for (Notification n : a.notifications()) {
        events.add(
            new Object[] {
              n.receivedAt(),
              (Notification.FIRING.equals(n.status()) ? "Notified " : "Resolved notification to ")
                  + n.receiver()
                  + ": `"
                  + n.alertname()
                  + "`"
            });
      }
    }
    events.add(new Object[] {to, "End of the window"});
    events.sort(Comparator.comparing(e -> (Instant) e[0]));
    for (Object[] e : events) {
      md.append("| ").append(TIME.format((Instant) e[0])).append(" | ").append(e[1]).append(" |\n");
    }
    md.append(
        "| <HH:MM> | <on-call acknowledges; incident declared; status page; root cause identified>"
            + " |\n\n");

    md.append(
            "## Root cause analysis (5 whys)\n\n**Problem statement**: <the symptom users saw>\n\n")
        .append("1. **Why** ...?\n   -> <cause>\n\n**Root cause**: <one sentence>\n\n");

    md.append("## Detection and response\n\n")
        .append("Alerts that started in the window and answer to the fault")
        .append(
            attribution.services().isEmpty()
                ? ""
                : " (service " + String.join(", ", attribution.services()) + ")")
        .append(
            r.expected().isEmpty() ? "" : "; the drill expects " + String.join(", ", r.expected()))
        .append(".\n\n")
        .append("| Alert | Severity | Receiver | Fired | Time to detect (first")
        .append(
            " impact to notification) | Resolved | Time to resolve (fault cleared to resolved) |")
        .append(" Runbook |\n")
        .append("|---|---|---|---|---|---|---|---|\n");
    Instant cleared =
        allFaults.stream()
            .map(FaultRecord::end)
            .filter(e -> e != null)
            .max(Instant::compareTo)
            .orElse(null);
    for (AlertHistory a : related) {
      Notification fired = notification(a, Notification.FIRING);
      Notification resolved = notification(a, Notification.RESOLVED);
      md.append("| ")
          .append(a.name())
          .append(labels(a.labels()))
          .append(" | ")
          .append(a.labels().getOrDefault("severity", "-"))
          .append(" | ")
          .append(fired == null ? "-" : fired.receiver())
          .append(" | ")
          .append(a.firingAt() == null ? "never (pending only)" : TIME.format(a.firingAt()))
          .append(" | ")
          .append(fired == null ? "-" : seconds(Duration.between(firstImpact, fired.receivedAt())))
          .append(" | ")
          .append(resolved == null ? "-" : TIME.format(resolved.receivedAt()))
          .append(" | ")
          .append(
              resolved == null || cleared == null
                  ? "-"
                  : seconds(Duration.between(cleared, resolved.receivedAt())))
          .append(" | ")
          .append(runbook(a.name(), fired))
          .append(" |\n");
    }
    otherAlerts(
        md,
        "Already active when the window began (not caused by this fault)",
        attribution.beforeWindow());
    otherAlerts(
        md,
        "Started in the window on another service, or on none (not related to the fault)",
        attribution.unrelated());
    md.append("\n- Did the right alert fire, at the right severity, to the right receiver? <...>\n")
        .append("- Did the runbook help? What was missing or wrong in it? <...>\n\n");
    md.append("## What went well\n\n1. <...>\n\n## What went wrong\n\n1. <...>\n\n")
        .append("## Where we got lucky\n\n1. <...>\n\n");
    md.append("## Action items\n\n| # | Action | Owner | Due date | Priority | Ticket |\n")
        .append("|---|--------|-------|----------|----------|--------|\n")
        .append("| 1 | <prevent> | <name> | YYYY-MM-DD | P0 | |\n\n");
    md.append(
        "## Lessons learned\n\n1. <...>\n\n## Communication\n\n<links to the notices as sent>\n");
    return md.toString();
  }

  /** A table of alerts not measured against the fault: their own times only. */
  private void otherAlerts(StringBuilder md, String heading, List<AlertHistory> alerts) {
    if (alerts.isEmpty()) {
      return;
    }
    md.append("\n### ")
        .append(heading)
        .append("\n\n| Alert | Severity | Service | Active from | Last firing | Resolved |")
        .append(" Runbook |\n|---|---|---|---|---|---|---|\n");
    for (AlertHistory a : alerts) {
      Instant first =
          a.pendingAt() == null
              ? a.firingAt()
              : a.firingAt() == null ? a.pendingAt() : min(a.pendingAt(), a.firingAt());
      Notification resolved = notification(a, Notification.RESOLVED);
      md.append("| ")
          .append(a.name())
          .append(labels(a.labels()))
          .append(" | ")
          .append(a.labels().getOrDefault("severity", "-"))
          .append(" | ")
          .append(a.labels().getOrDefault("service", "-"))
          .append(" | ")
          .append(a.activeAtStart() ? "before " : "")
          .append(first == null ? "-" : TIME.format(first))
          .append(" | ")
          .append(a.lastFiringAt() == null ? "-" : TIME.format(a.lastFiringAt()))
          .append(" | ")
          .append(resolved == null ? "-" : TIME.format(resolved.receivedAt()))
          .append(" | ")
          .append(runbook(a.name(), notification(a, Notification.FIRING)))
          .append(" |\n");
    }
  }

  private static Notification notification(AlertHistory a, String status) {
    return a.notifications().stream()
        .filter(n -> status.equals(n.status()))
        .findFirst()
        .orElse(null);
  }

  private String runbook(String alert, Notification fired) {
    Path local = runbooks.resolve(alert + ".md").toAbsolutePath().normalize();
    if (Files.isRegularFile(local)) {
      return "[docs/runbooks/" + alert + ".md](" + link(local) + ")";
    }
    if (fired != null && fired.annotations() != null) {
      return fired.annotations().getOrDefault("runbook_url", "-");
    }
    return "-";
  }

  /** The runbook's path relative to the draft's directory, with {@code /}; absolute when none. */
  private String link(Path runbook) {
    Path dir = draftDir.toAbsolutePath().normalize();
    try {
      return dir.relativize(runbook).toString().replace('\\', '/');
    } catch (IllegalArgumentException e) {
      return runbook.toUri().toString();
    }
  }

  private static String labels(Map<String, String> labels) {
    Map<String, String> shown = new TreeMap<>(labels);
    shown.keySet().removeAll(List.of("severity", "service", "family", "team", "job", "instance"));
    return shown.isEmpty() ? "" : shown.toString();
  }

  private static Instant min(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  /**
   * A budget fraction as the draft prints it ({@link BudgetChange#percent}).
   *
   * @param ratio a fraction of the budget, or null
   * @return e.g. {@code 2661.7180%}, or {@code -}
   */
  public static String percent(Double ratio) {
    return BudgetChange.percent(ratio);
  }
}

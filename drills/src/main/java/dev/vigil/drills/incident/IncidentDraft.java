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
   * A fault known from outside Prometheus (the drill's own log).
   *
   * @param description what the fault was, e.g. {@code bursts of 100 GET /data/error}
   * @param start when it started
   * @param end when it was cleared, or null
   */
  public record FaultRecord(String description, Instant start, Instant end) {}

  /**
   * One alert of the window, from the {@code ALERTS} history and the notifications.
   *
   * @param name the alert name
   * @param labels its identifying labels (severity, slo...)
   * @param pendingAt first pending sample in the window, or null
   * @param firingAt first firing sample, or null
   * @param lastFiringAt last firing sample, or null
   * @param notifications the notifications about it, in time order
   */
  public record AlertHistory(
      String name,
      Map<String, String> labels,
      Instant pendingAt,
      Instant firingAt,
      Instant lastFiringAt,
      List<Notification> notifications) {}

  private final PrometheusClient prometheus;
  private final NotificationLog notifications;
  private final Path runbooks;

  /**
   * A drafter reading one stack's records.
   *
   * @param prometheus the stack's Prometheus
   * @param notifications the receiver's log
   * @param runbooks the runbook directory ({@code docs/runbooks}), to link local files
   */
  public IncidentDraft(PrometheusClient prometheus, NotificationLog notifications, Path runbooks) {
    this.prometheus = prometheus;
    this.notifications = notifications;
    this.runbooks = runbooks;
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
      out.add(
          new AlertHistory(name, shown, e.getValue()[0], e.getValue()[1], e.getValue()[2], about));
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
                start,
                end));
      }
    }
    return out;
  }

  /**
   * The postmortem draft of a window.
   *
   * @param title the title, e.g. {@code drill server-error-burst}
   * @param from the window's start (first impact: the fault's start when known)
   * @param to its end
   * @param faults faults known from outside Prometheus (a drill's log), may be empty
   * @return the markdown
   * @throws IOException when Prometheus does not answer
   */
  public String markdown(String title, Instant from, Instant to, List<FaultRecord> faults)
      throws IOException {
    List<AlertHistory> alerts = alerts(from, to);
    List<BudgetChange> budgets = budgets(from, to);
    List<FaultRecord> allFaults = new ArrayList<>(faults);
    allFaults.addAll(adminFaults(from, to));
    Instant firstImpact =
        allFaults.stream().map(FaultRecord::start).min(Instant::compareTo).orElse(from);
    StringBuilder md = new StringBuilder();
    md.append("# Postmortem: ").append(title).append(" (DRAFT)\n\n");
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
    boolean paged = alerts.stream().anyMatch(a -> "critical".equals(a.labels().get("severity")));
    md.append("| **Severity** | ")
        .append(paged ? "<SEV1 or SEV2: a critical alert paged>" : "<SEV3: no page>")
        .append(" |\n");
    md.append("| **Incident commander** | <name> |\n");
    md.append("| **Services affected** | ")
        .append(
            String.join(
                ", ",
                alerts.stream()
                    .map(a -> a.labels().get("service"))
                    .filter(s -> s != null)
                    .distinct()
                    .toList()))
        .append(" |\n");
    AlertHistory first =
        alerts.stream()
            .filter(a -> a.firingAt() != null)
            .min(Comparator.comparing(AlertHistory::firingAt))
            .orElse(null);
    md.append("| **Detected by** | ")
        .append(
            first == null
                ? "<no alert fired>"
                : first.name() + " at " + TIME.format(first.firingAt()))
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
                budgets, b -> b, "Consumed in the window", List.of(), b -> List.of()));
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
    for (AlertHistory a : alerts) {
      String name = a.name() + labels(a.labels());
      // a sample at the window's first step: it began before the window
      Instant early = from.plusMillis(500);
      if (a.pendingAt() != null && a.pendingAt().isAfter(early)) {
        events.add(new Object[] {a.pendingAt(), "Alert pending: `" + name + "`"});
      }
      if (a.firingAt() != null) {
        events.add(
            new Object[] {
              a.firingAt(),
              a.firingAt().isAfter(early)
                  ? "Alert fires: `" + name + "`"
                  : "Alert already firing when the window began: `" + name + "`"
            });
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

    md.append("## Detection and response\n\n| Alert | Severity | Receiver | Time to detect (first")
        .append(
            " impact to notification) | Time to resolve (fault cleared to resolved) | Runbook |\n")
        .append("|---|---|---|---|---|---|\n");
    Instant cleared =
        allFaults.stream()
            .map(FaultRecord::end)
            .filter(e -> e != null)
            .max(Instant::compareTo)
            .orElse(null);
    for (AlertHistory a : alerts) {
      Notification fired =
          a.notifications().stream()
              .filter(n -> Notification.FIRING.equals(n.status()))
              .findFirst()
              .orElse(null);
      Notification resolved =
          a.notifications().stream()
              .filter(n -> Notification.RESOLVED.equals(n.status()))
              .findFirst()
              .orElse(null);
      md.append("| ")
          .append(a.name())
          .append(labels(a.labels()))
          .append(" | ")
          .append(a.labels().getOrDefault("severity", "-"))
          .append(" | ")
          .append(fired == null ? "-" : fired.receiver())
          .append(" | ")
          .append(fired == null ? "-" : seconds(Duration.between(firstImpact, fired.receivedAt())))
          .append(" | ")
          .append(
              resolved == null || cleared == null
                  ? "-"
                  : seconds(Duration.between(cleared, resolved.receivedAt())))
          .append(" | ")
          .append(runbook(a.name(), fired))
          .append(" |\n");
    }
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

  private String runbook(String alert, Notification fired) {
    Path local = runbooks.resolve(alert + ".md");
    if (Files.isRegularFile(local)) {
      return "[docs/runbooks/" + alert + ".md](runbooks/" + alert + ".md)";
    }
    if (fired != null && fired.annotations() != null) {
      return fired.annotations().getOrDefault("runbook_url", "-");
    }
    return "-";
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

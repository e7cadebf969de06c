package dev.vigil.slo.backtest;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SRE Workbook's four measures of an alerting strategy (chapter "Alerting on SLOs"), for one
 * SLO's backtest against known incidents: precision (notifications that belong to an incident),
 * recall (incidents that got a notification), detection time (incident start to the first
 * notification) and reset time (incident end to that notification's resolution).
 *
 * <p>Only the incidents that concern the SLO count ({@link Incident#concerns}: for a drill, those
 * that burned its budget). A notification belongs to an incident when its condition began to hold
 * (it went pending) between the incident's start and its end plus {@link #GRACE} (a burn-rate alert
 * may go pending just after a short incident ended, from the windows that hold it); with a long
 * {@code for} it may fire later still. A notification already pending when the incident began does
 * not detect it.
 *
 * @param detections per incident, in order, the first notification of any of the SLO's alerts that
 *     belongs to it (null when none did)
 * @param notifications every notification of the SLO's alerts
 * @param belonging the notifications that belong to an incident
 */
public record Score(List<Detection> detections, int notifications, int belonging) {

  /** How long after an incident's end a notification still counts as its detection. */
  public static final Duration GRACE = Duration.ofMinutes(5);

  /**
   * One incident and how it was detected.
   *
   * @param incident the incident
   * @param alert the alert that detected it first (e.g. {@code SloBurnRatePage 1h/5m}), or null
   * @param detect incident start to the first firing, or null
   * @param reset incident end to that notification's resolution, or null when it did not resolve in
   *     the range (or nothing detected the incident)
   */
  public record Detection(Incident incident, String alert, Duration detect, Duration reset) {}

  /**
   * @return incidents with a notification / incidents, 0..1; NaN without incidents
   */
  public double recall() {
    return detections.isEmpty()
        ? Double.NaN
        : detections.stream().filter(d -> d.alert() != null).count() / (double) detections.size();
  }

  /**
   * @return notifications belonging to an incident / notifications, 0..1; NaN without notifications
   */
  public double precision() {
    return notifications == 0 ? Double.NaN : belonging / (double) notifications;
  }

  /**
   * Scores a backtest.
   *
   * @param result the backtest of one SLO
   * @param known the known incidents; those that do not concern the SLO are left out
   * @return its score
   */
  public static Score of(Backtest.Result result, List<Incident> known) {
    List<Incident> incidents =
        known.stream()
            .filter(i -> i.concerns(result.slo().name()))
            .sorted(Comparator.comparing(Incident::start))
            .toList();
    Map<Incident, Detection> detections = new LinkedHashMap<>();
    incidents.forEach(i -> detections.put(i, new Detection(i, null, null, null)));
    int all = 0;
    int belonging = 0;
    for (Backtest.AlertResult alert : result.alerts()) {
      for (Backtest.Notification n : alert.notifications()) {
        all++;
        // the earliest incident whose window holds it: its cause began first (a later incident
        // inside the same minutes did not make it go pending)
        Incident incident = incidents.stream().filter(i -> belongs(n, i)).findFirst().orElse(null);
        if (incident == null) {
          continue;
        }
        belonging++;
        Duration detect = Duration.between(incident.start(), n.firing());
        Detection best = detections.get(incident);
        if (best.detect() == null || detect.compareTo(best.detect()) < 0) {
          detections.put(
              incident,
              new Detection(
                  incident,
                  alert.title(),
                  detect,
                  n.resolved() == null ? null : Duration.between(incident.end(), n.resolved())));
        }
      }
    }
    return new Score(List.copyOf(detections.values()), all, belonging);
  }

  private static boolean belongs(Backtest.Notification n, Incident incident) {
    return !n.pending().isBefore(incident.start())
        && !n.pending().isAfter(incident.end().plus(GRACE));
  }
}

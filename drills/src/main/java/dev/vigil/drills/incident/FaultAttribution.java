package dev.vigil.drills.incident;

import dev.vigil.drills.incident.IncidentDraft.AlertHistory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which alerts of an incident window answer to its fault, and which one detected it.
 *
 * <p>An alert already pending or firing when the window began was not caused by the fault: it is
 * listed apart ({@link #beforeWindow}) and never detects it. Of the alerts that started inside the
 * window, an alert is related to the fault when it is one the drill expects, or when its {@code
 * service} label is a service of the fault (the service of an admin fault, or of an expected alert
 * that fired). When nothing is known about the fault (no expected alert, no service), every alert
 * that started in the window is related. Detection is the expected alert that fired first, else the
 * related alert that fired first.
 *
 * <p>Example: a client-error flood on {@code catalog} whose window opens while TrafficSpike is
 * already firing: TrafficSpike is in {@link #beforeWindow}, HighErrorRate (expected) detects, and a
 * host alert without a service label that fired meanwhile is in {@link #unrelated}.
 *
 * @param detectedBy the alert that detected the fault, or null when no related alert fired
 * @param related alerts that started in the window and answer to the fault, by first activity
 * @param beforeWindow alerts already pending or firing when the window began, by first activity
 * @param unrelated alerts that started in the window on another service (or none), by first
 *     activity
 * @param services the services of the fault: those given, plus those of expected alerts that fired
 */
public record FaultAttribution(
    AlertHistory detectedBy,
    List<AlertHistory> related,
    List<AlertHistory> beforeWindow,
    List<AlertHistory> unrelated,
    Set<String> services) {

  /**
   * Sorts a window's alerts.
   *
   * @param alerts the window's alerts ({@link IncidentDraft#alerts})
   * @param expected the alert names the drill expects, in the drill's order; empty for an incident
   *     that is no drill
   * @param faultServices the services the fault acted on (admin faults' {@code service}); may be
   *     empty
   * @return the attribution
   */
  public static FaultAttribution of(
      List<AlertHistory> alerts, Collection<String> expected, Collection<String> faultServices) {
    List<AlertHistory> before = new ArrayList<>();
    List<AlertHistory> started = new ArrayList<>();
    for (AlertHistory a : alerts) {
      (a.activeAtStart() ? before : started).add(a);
    }
    Set<String> services = new LinkedHashSet<>(faultServices);
    for (AlertHistory a : started) {
      String service = a.labels().get("service");
      if (expected.contains(a.name()) && a.firingAt() != null && service != null) {
        services.add(service);
      }
    }
    boolean nothingKnown = expected.isEmpty() && services.isEmpty();
    List<AlertHistory> related = new ArrayList<>();
    List<AlertHistory> unrelated = new ArrayList<>();
    for (AlertHistory a : started) {
      boolean isRelated =
          nothingKnown
              || expected.contains(a.name())
              || services.contains(a.labels().getOrDefault("service", ""));
      (isRelated ? related : unrelated).add(a);
    }
    Comparator<AlertHistory> byFiring = Comparator.comparing(AlertHistory::firingAt);
    AlertHistory detectedBy =
        related.stream()
            .filter(a -> a.firingAt() != null && expected.contains(a.name()))
            .min(byFiring)
            .or(() -> related.stream().filter(a -> a.firingAt() != null).min(byFiring))
            .orElse(null);
    return new FaultAttribution(
        detectedBy, List.copyOf(related), List.copyOf(before), List.copyOf(unrelated), services);
  }
}

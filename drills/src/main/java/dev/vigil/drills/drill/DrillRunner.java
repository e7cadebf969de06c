package dev.vigil.drills.drill;

import dev.vigil.prometheus.AlertmanagerClient;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.receiver.Notification;
import dev.vigil.stack.receiver.NotificationLog;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Runs a {@link Drill} against a running stack and checks its {@link AlertExpectation} at each hop:
 * the alert fires in Prometheus ({@code /api/v1/alerts}), Alertmanager routes it to the expected
 * receiver ({@code /api/v2/alerts}), the local receiver records the firing notification (JSONL),
 * and after the fault stops, the resolved notification.
 *
 * <p>Every wait is bounded, derived from the loaded rule: firing within {@code for + 10 x
 * evaluation interval + 90 s}; notification within {@link #NOTIFY_TIMEOUT} of firing (covers
 * Alertmanager's group wait and the watchdog's repeat interval); resolution within 5 minutes (the
 * rules' rate window) {@code + 10 x evaluation interval + 3 minutes} (group interval) of the end of
 * the fault.
 */
public final class DrillRunner {

  /** Longest wait from firing to the notification. */
  public static final Duration NOTIFY_TIMEOUT = Duration.ofMinutes(7);

  private static final Duration POLL = Duration.ofMillis(500);

  private final PrometheusClient prometheus;
  private final AlertmanagerClient alertmanager;
  private final NotificationLog notifications;
  private final PrintStream progress;

  /**
   * A runner against one stack.
   *
   * @param prometheus the stack's Prometheus
   * @param alertmanager the stack's Alertmanager
   * @param notifications the local receiver's log
   * @param progress where a line is printed at each hop
   */
  public DrillRunner(
      PrometheusClient prometheus,
      AlertmanagerClient alertmanager,
      NotificationLog notifications,
      PrintStream progress) {
    this.prometheus = prometheus;
    this.alertmanager = alertmanager;
    this.notifications = notifications;
    this.progress = progress;
  }

  /**
   * Injects the drill's fault, waits for each hop of the expected alert, recovers, and reports
   * times.
   *
   * @param drill the drill
   * @return the report; {@link DrillReport#passed()} tells the verdict, {@code failure} says why
   *     not
   * @throws IOException when Prometheus does not answer before the drill starts
   */
  public DrillReport run(Drill drill) throws IOException {
    AlertExpectation expected = drill.expectation();
    String name = expected.alertname();
    Optional<PrometheusClient.AlertRule> rule =
        prometheus.alertRules().stream().filter(r -> r.name().equals(name)).findFirst();
    Instant faultAt = Instant.now();
    Builder report = new Builder(drill, faultAt);
    if (rule.isEmpty()) {
      return report.fail(
          "Prometheus has no alerting rule named "
              + name
              + "; check the rules under deploy/prometheus/rules/ and the Prometheus log");
    }
    Duration interval = Duration.ofMillis((long) (rule.get().groupIntervalSeconds() * 1000));
    Duration fireTimeout =
        Duration.ofMillis((long) (rule.get().forSeconds() * 1000))
            .plus(interval.multipliedBy(10))
            .plusSeconds(90);
    Duration resolveTimeout = Duration.ofMinutes(8).plus(interval.multipliedBy(10));

    try (Fault fault = drill.fault()) {
      fault.inject();
      progress.println(drill.name() + ": fault injected: " + drill.description());

      Instant firingAt =
          await(
              fireTimeout,
              () ->
                  prometheus.alerts().stream().anyMatch(a -> a.name().equals(name) && a.firing())
                      ? Instant.now()
                      : null);
      if (firingAt == null) {
        return report.fail(
            name
                + " did not fire in Prometheus within "
                + fireTimeout.toSeconds()
                + " s of the fault (rule for = "
                + rule.get().forSeconds()
                + " s); see /alerts of Prometheus");
      }
      report.firing = Duration.between(faultAt, firingAt);
      progress.println(
          drill.name() + ": " + name + " firing in Prometheus after " + seconds(report.firing));

      Notification fired =
          await(
              NOTIFY_TIMEOUT,
              () -> {
                alertmanager.alerts().stream()
                    .filter(a -> a.name().equals(name))
                    .findFirst()
                    .ifPresent(a -> report.routedTo = a.receivers());
                return find(expected.receiver(), name, Notification.FIRING, faultAt);
              });
      if (report.routedTo.isEmpty()) {
        return report.fail(
            "Alertmanager never held "
                + name
                + " although Prometheus fired it; check the"
                + " alerting section of the rendered prometheus.yml and the Prometheus log");
      }
      if (!report.routedTo.contains(expected.receiver())) {
        return report.fail(
            "Alertmanager routed "
                + name
                + " to "
                + report.routedTo
                + ", not to "
                + expected.receiver()
                + "; check the routes of deploy/alertmanager/alertmanager.yml");
      }
      if (fired == null) {
        return report.fail(
            "no firing notification of "
                + name
                + " reached receiver "
                + expected.receiver()
                + " within "
                + NOTIFY_TIMEOUT.toSeconds()
                + " s of firing; check the Alertmanager and receiver logs");
      }
      report.notified = Duration.between(faultAt, fired.receivedAt());
      report.severity = fired.severity();
      progress.println(
          drill.name()
              + ": notification at receiver "
              + fired.receiver()
              + " after "
              + seconds(report.notified));
      if (expected.severity() != null && !expected.severity().equals(fired.severity())) {
        return report.fail(
            name
                + " arrived with severity "
                + fired.severity()
                + ", expected "
                + expected.severity());
      }
      if (!expected.resolves()) {
        return report.pass();
      }

      Instant recoveryAt = Instant.now();
      fault.recover();
      progress.println(drill.name() + ": fault stopped, waiting for " + name + " to resolve");
      Notification resolved =
          await(
              resolveTimeout,
              () -> find(expected.receiver(), name, Notification.RESOLVED, recoveryAt));
      if (resolved == null) {
        return report.fail(
            name
                + " did not resolve at receiver "
                + expected.receiver()
                + " within "
                + resolveTimeout.toSeconds()
                + " s after the fault stopped");
      }
      report.resolved = Duration.between(faultAt, resolved.receivedAt());
      report.resolvedAfterRecovery = Duration.between(recoveryAt, resolved.receivedAt());
      progress.println(drill.name() + ": resolved notification after " + seconds(report.resolved));
      return report.pass();
    } catch (RuntimeException e) {
      return report.fail(e.getMessage());
    }
  }

  private Notification find(String receiver, String name, String status, Instant notBefore) {
    List<Notification> all = notifications.readAll();
    return all.stream()
        .filter(
            n ->
                n.is(name, status)
                    && n.receiver().equals(receiver)
                    && !n.receivedAt().isBefore(notBefore))
        .findFirst()
        .orElse(null);
  }

  /** One look at the stack: a value when what the drill waits for has happened, else null. */
  @FunctionalInterface
  private interface Probe<T> {
    T get() throws IOException;
  }

  /** Polls until the probe returns non-null or the timeout passes; unavailable APIs are retried. */
  private static <T> T await(Duration timeout, Probe<T> probe) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      try {
        T value = probe.get();
        if (value != null) {
          return value;
        }
      } catch (IOException e) {
        // a component restarting (the service-down drill): ask again until the deadline
      }
      if (Instant.now().isAfter(deadline)) {
        return null;
      }
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
  }

  private static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  /** Collects the measurements of one run. */
  private static final class Builder {
    private final Drill drill;
    private final Instant faultAt;
    private Duration firing;
    private List<String> routedTo = List.of();
    private Duration notified;
    private String severity;
    private Duration resolved;
    private Duration resolvedAfterRecovery;

    Builder(Drill drill, Instant faultAt) {
      this.drill = drill;
      this.faultAt = faultAt;
    }

    DrillReport pass() {
      return build(null);
    }

    DrillReport fail(String why) {
      return build(why == null ? "unexpected failure" : why);
    }

    private DrillReport build(String failure) {
      return new DrillReport(
          drill.name(),
          drill.expectation(),
          faultAt,
          firing,
          routedTo,
          notified,
          severity,
          resolved,
          resolvedAfterRecovery,
          failure);
    }
  }
}

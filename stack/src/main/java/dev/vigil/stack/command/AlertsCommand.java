package dev.vigil.stack.command;

import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.Component;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.receiver.Notification;
import dev.vigil.stack.receiver.NotificationLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil alerts}: the notifications the local receiver recorded (newest last) and the alerts
 * Prometheus holds now, firing and pending.
 */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description =
        "Show the notifications the local alert receiver recorded (newest last) and the alerts "
            + "Prometheus holds now (firing, and pending ones still waiting out their `for`).")
public final class AlertsCommand implements Callable<Integer> {

  @Option(
      names = "--last",
      defaultValue = "20",
      description = "How many notifications to show (default: ${DEFAULT-VALUE})")
  int last;

  @Mixin StateDirOption state;

  @Spec CommandSpec spec;

  /**
   * Prints both lists.
   *
   * @return 0; 1 when the notification log is unreadable
   */
  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    LocalStack stack = state.stack();
    NotificationLog log = new NotificationLog(stack.layout().notifications());
    try {
      printNotifications(log.last(Math.max(0, last)), log, out);
    } catch (IllegalStateException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return 1;
    }
    printFiring(new PrometheusClient(stack.url(Component.PROMETHEUS)), out);
    out.flush();
    return 0;
  }

  /**
   * Prints notifications oldest first, one summary line each plus the alert's summary annotation.
   */
  static void printNotifications(
      List<Notification> notifications, NotificationLog log, PrintWriter out) {
    out.println("Notifications recorded by the local receiver (" + log.file() + "), newest last:");
    if (notifications.isEmpty()) {
      out.println("  (none yet)");
    }
    for (Notification n : notifications) {
      out.println("  " + n.summaryLine());
      String summary = n.annotations().get("summary");
      if (summary != null) {
        out.println("      " + summary);
      }
    }
  }

  /**
   * Prints the alerts Prometheus holds now, firing first, then pending ones (condition true, still
   * waiting out the rule's {@code for}, so a short burst such as the seed's error loop is visible
   * before it would page), or why they are unknown.
   */
  static void printFiring(PrometheusClient prometheus, PrintWriter out) {
    out.println("Alerts now (Prometheus; pending = condition true, waiting out the rule's `for`):");
    try {
      var alerts =
          prometheus.alerts().stream()
              .sorted(
                  Comparator.comparing((PrometheusClient.ActiveAlert a) -> !a.firing())
                      .thenComparing(PrometheusClient.ActiveAlert::name))
              .toList();
      if (alerts.isEmpty()) {
        out.println("  (none)");
      }
      for (var a : alerts) {
        out.println(
            "  "
                + (a.firing() ? "firing  " : "pending ")
                + a.name()
                + " severity="
                + a.labels().getOrDefault("severity", "-")
                + a.labels().entrySet().stream()
                    .filter(e -> !List.of("alertname", "severity").contains(e.getKey()))
                    .map(e -> " " + e.getKey() + "=" + e.getValue())
                    .reduce("", String::concat)
                + " active since "
                + a.activeAt());
      }
    } catch (IOException e) {
      out.println("  (unknown: " + e.getMessage() + ")");
    }
  }
}

package dev.vigil.drills.drill;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of one drill run, with the times measured from the first injected fault.
 *
 * @param drill the drill's name
 * @param expectation what was expected
 * @param faultAt when the fault was injected (UTC)
 * @param firing time from the fault to Prometheus reporting the alert firing, or null when it never
 *     did
 * @param routedTo receivers Alertmanager chose for the alert (empty when not seen)
 * @param notified time from the fault to the receiver recording the firing notification, or null
 * @param severity the severity label of that notification, or null
 * @param resolved time from the fault to the resolved notification, or null (also when not
 *     expected)
 * @param resolvedAfterRecovery time from the end of the fault to the resolved notification, or null
 * @param failure why the drill failed, or null when it passed
 */
public record DrillReport(
    String drill,
    AlertExpectation expectation,
    Instant faultAt,
    Duration firing,
    List<String> routedTo,
    Duration notified,
    String severity,
    Duration resolved,
    Duration resolvedAfterRecovery,
    String failure) {

  /**
   * Whether the expected alert fired, was routed and notified, and resolved when expected.
   *
   * @return true when the drill passed
   */
  public boolean passed() {
    return failure == null;
  }

  /**
   * The report as lines for a terminal.
   *
   * @return human-readable lines, the verdict first
   */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add((passed() ? "PASS " : "FAIL ") + drill + ": " + expectation.describe());
    out.add("  fault injected at      " + faultAt + " (times below count from it)");
    out.add("  firing in Prometheus   " + seconds(firing));
    out.add("  routed by Alertmanager " + (routedTo.isEmpty() ? "-" : String.join(", ", routedTo)));
    out.add(
        "  notification received  "
            + seconds(notified)
            + (severity == null ? "" : " (severity " + severity + ")"));
    if (expectation.resolves()) {
      out.add(
          "  resolved notification  "
              + seconds(resolved)
              + (resolvedAfterRecovery == null
                  ? ""
                  : " (" + seconds(resolvedAfterRecovery) + " after the fault stopped)"));
    }
    if (failure != null) {
      out.add("  why: " + failure);
    }
    return out;
  }

  private static String seconds(Duration d) {
    return d == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}

package dev.vigil.drills.drill;

/**
 * The outcome a drill expects: alert {@code alertname} with severity {@code severity} reaches
 * receiver {@code receiver}, then (when {@code resolves}) resolves after the fault stops.
 *
 * @param alertname e.g. {@code HighErrorRate}
 * @param severity e.g. {@code critical}, or {@code null} to accept any severity
 * @param receiver the Alertmanager receiver, e.g. {@code pager}
 * @param resolves whether a resolved notification is expected after the fault stops
 */
public record AlertExpectation(
    String alertname, String severity, String receiver, boolean resolves) {

  /**
   * The expectation in words, e.g. {@code HighErrorRate (critical) reaches pager, then resolves}.
   *
   * @return the sentence
   */
  public String describe() {
    return alertname
        + (severity == null ? "" : " (" + severity + ")")
        + " reaches "
        + receiver
        + (resolves ? ", then resolves" : "");
  }
}

package dev.vigil.stack.receiver;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/**
 * One alert of one Alertmanager webhook notification, as the local receiver records it: one JSON
 * line of {@code .vigil/alerts/notifications.jsonl}.
 *
 * @param receivedAt when the receiver got the notification (UTC)
 * @param receiver the Alertmanager receiver name, taken from the webhook path {@code
 *     /alerts/<receiver>}
 * @param status {@code firing} or {@code resolved} (of this alert)
 * @param alertname the {@code alertname} label
 * @param severity the {@code severity} label, or {@code null} when the alert has none
 * @param service the {@code service} label, or {@code null} when the alert has none
 * @param labels every label of the alert
 * @param annotations every annotation of the alert (summary, description, runbook_url)
 * @param startsAt when the alert started firing, RFC 3339 as Alertmanager sent it
 * @param endsAt when the alert resolved (or {@code 0001-01-01T00:00:00Z} while firing), RFC 3339
 */
public record Notification(
    @JsonProperty("received_at") Instant receivedAt,
    @JsonProperty("receiver") String receiver,
    @JsonProperty("status") String status,
    @JsonProperty("alertname") String alertname,
    @JsonProperty("severity") String severity,
    @JsonProperty("service") String service,
    @JsonProperty("labels") Map<String, String> labels,
    @JsonProperty("annotations") Map<String, String> annotations,
    @JsonProperty("startsAt") String startsAt,
    @JsonProperty("endsAt") String endsAt) {

  /** Status of an alert that is firing. */
  public static final String FIRING = "firing";

  /** Status of an alert that has resolved. */
  public static final String RESOLVED = "resolved";

  /**
   * Tells whether this notification is about the given alert in the given status.
   *
   * @param name alert name, e.g. {@code HighErrorRate}
   * @param wantedStatus {@link #FIRING} or {@link #RESOLVED}
   * @return true when both match
   */
  public boolean is(String name, String wantedStatus) {
    return name.equals(alertname) && wantedStatus.equals(status);
  }

  /**
   * A one-line human summary without annotations or secrets, e.g. {@code 2026-11-21T19:30:00Z pager
   * firing HighErrorRate severity=critical service=catalog}.
   *
   * @return the summary line
   */
  public String summaryLine() {
    return receivedAt
        + " "
        + receiver
        + " "
        + status
        + " "
        + alertname
        + (severity == null ? "" : " severity=" + severity)
        + (service == null ? "" : " service=" + service);
  }
}

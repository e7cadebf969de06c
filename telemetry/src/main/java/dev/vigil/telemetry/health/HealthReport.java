package dev.vigil.telemetry.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of running every registered check once.
 *
 * @param status the worst status of all checks ({@link HealthStatus#HEALTHY} when there are none)
 * @param shuttingDown whether the service has begun its graceful shutdown
 * @param checks each check's result, in registration order
 */
public record HealthReport(HealthStatus status, boolean shuttingDown, List<CheckResult> checks) {

  /** Ready for traffic: not shutting down and no check unhealthy (degraded is still ready). */
  public boolean ready() {
    return !shuttingDown && status != HealthStatus.UNHEALTHY;
  }

  /**
   * The JSON shape served by {@code /health/detailed}: {@code
   * {"status":"healthy","shutting_down":false,"checks":{"database":{"status":"healthy",
   * "duration_seconds":0.0012}}}}, with an {@code error} member on failing checks.
   *
   * @return an ordered map ready for a JSON writer
   */
  public Map<String, Object> toJson() {
    Map<String, Object> checksJson = new LinkedHashMap<>();
    for (CheckResult c : checks) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("status", c.status().json());
      one.put("duration_seconds", c.durationSeconds());
      if (c.error() != null) {
        one.put("error", c.error());
      }
      checksJson.put(c.name(), one);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("status", status.json());
    json.put("shutting_down", shuttingDown);
    json.put("checks", checksJson);
    return json;
  }
}

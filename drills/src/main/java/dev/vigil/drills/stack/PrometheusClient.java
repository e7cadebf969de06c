package dev.vigil.drills.stack;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Prometheus' HTTP API ({@code /api/v1/alerts}, {@code /api/v1/targets}, {@code /api/v1/rules}).
 * Source: Prometheus docs, "HTTP API".
 */
public final class PrometheusClient {

  private final JsonGet http;

  /**
   * A client of one Prometheus.
   *
   * @param base e.g. {@code http://127.0.0.1:9090}
   */
  public PrometheusClient(URI base) {
    this.http = new JsonGet(base, "Prometheus");
  }

  /**
   * An alert Prometheus holds now.
   *
   * @param name the alertname label
   * @param state {@code pending} (condition true, waiting for {@code for}) or {@code firing}
   * @param labels all labels of the alert
   * @param activeAt when the condition became true, RFC 3339
   * @param value the expression's value when last evaluated, as Prometheus prints it
   */
  public record ActiveAlert(String name, String state, Map<String, String> labels, String activeAt, String value) {

    /**
     * Whether the alert is firing (not merely pending).
     *
     * @return true when firing
     */
    public boolean firing() {
      return "firing".equals(state);
    }
  }

  /**
   * A scrape target and its last scrape.
   *
   * @param job the job name
   * @param instance the instance label
   * @param health {@code up}, {@code down} or {@code unknown}
   * @param lastError the last scrape error, empty when none
   */
  public record Target(String job, String instance, String health, String lastError) {}

  /**
   * An alerting rule as loaded.
   *
   * @param name the alert name
   * @param forSeconds the rule's {@code for}, in seconds
   * @param query the rule's expression
   * @param groupIntervalSeconds the evaluation interval of its group, in seconds
   */
  public record AlertRule(String name, double forSeconds, String query, double groupIntervalSeconds) {}

  /**
   * The alerts Prometheus holds now, pending and firing.
   *
   * @return the alerts, in API order
   * @throws StackUnavailableException when Prometheus does not answer
   */
  public List<ActiveAlert> alerts() {
    List<ActiveAlert> out = new ArrayList<>();
    for (JsonNode a : http.get("/api/v1/alerts").path("data").path("alerts")) {
      Map<String, String> labels = strings(a.path("labels"));
      out.add(new ActiveAlert(labels.getOrDefault("alertname", ""), a.path("state").asText(), labels,
          a.path("activeAt").asText(), a.path("value").asText()));
    }
    return out;
  }

  /**
   * The active scrape targets with their health.
   *
   * @return the targets, sorted by job then instance
   * @throws StackUnavailableException when Prometheus does not answer
   */
  public List<Target> targets() {
    List<Target> out = new ArrayList<>();
    for (JsonNode t : http.get("/api/v1/targets?state=active").path("data").path("activeTargets")) {
      out.add(new Target(t.path("labels").path("job").asText(), t.path("labels").path("instance").asText(),
          t.path("health").asText(), t.path("lastError").asText()));
    }
    out.sort(java.util.Comparator.comparing(Target::job).thenComparing(Target::instance));
    return out;
  }

  /**
   * The alerting rules Prometheus has loaded.
   *
   * @return the rules in file order
   * @throws StackUnavailableException when Prometheus does not answer
   */
  public List<AlertRule> alertRules() {
    List<AlertRule> out = new ArrayList<>();
    for (JsonNode group : http.get("/api/v1/rules?type=alert").path("data").path("groups")) {
      for (JsonNode r : group.path("rules")) {
        out.add(new AlertRule(r.path("name").asText(), r.path("duration").asDouble(), r.path("query").asText(),
            group.path("interval").asDouble()));
      }
    }
    return out;
  }

  static Map<String, String> strings(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }
}

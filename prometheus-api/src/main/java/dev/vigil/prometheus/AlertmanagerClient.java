package dev.vigil.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads Alertmanager's API v2 ({@code /api/v2/alerts}). Source: Alertmanager OpenAPI spec, v0.25.
 */
public final class AlertmanagerClient {

  private final JsonGet http;

  /**
   * A client of one Alertmanager.
   *
   * @param base e.g. {@code http://127.0.0.1:9093}
   */
  public AlertmanagerClient(URI base) {
    this.http = new JsonGet(base, "Alertmanager");
  }

  /**
   * An alert as Alertmanager holds it, with the receivers its route chose.
   *
   * @param name the alertname label
   * @param state {@code active}, {@code suppressed} (silenced or inhibited) or {@code unprocessed}
   * @param labels all labels
   * @param receivers names of the receivers the routing tree chose, e.g. {@code [pager]}
   */
  public record RoutedAlert(
      String name, String state, Map<String, String> labels, List<String> receivers) {}

  /**
   * The alerts Alertmanager holds now (active, silenced and inhibited).
   *
   * @return the alerts
   * @throws IOException when Alertmanager does not answer 200 with JSON (the message says where and
   *     what to do)
   */
  public List<RoutedAlert> alerts() throws IOException {
    List<RoutedAlert> out = new ArrayList<>();
    for (JsonNode a : http.get("/api/v2/alerts")) {
      Map<String, String> labels = JsonGet.strings(a.path("labels"));
      List<String> receivers = new ArrayList<>();
      for (JsonNode r : a.path("receivers")) {
        receivers.add(r.path("name").asText());
      }
      out.add(
          new RoutedAlert(
              labels.getOrDefault("alertname", ""),
              a.path("status").path("state").asText(),
              labels,
              receivers));
    }
    return out;
  }
}

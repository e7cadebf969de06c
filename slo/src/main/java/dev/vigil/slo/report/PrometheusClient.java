package dev.vigil.slo.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/** A small client of the Prometheus HTTP API (v1): instant queries and label values. */
public final class PrometheusClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** @param base e.g. {@code http://127.0.0.1:9090} */
  public PrometheusClient(URI base) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
  }

  /**
   * Runs an instant query that returns one series or a scalar.
   *
   * @param promql the query
   * @param at evaluation time
   * @return the value of the first sample, or empty when the result is empty or NaN
   * @throws IOException when Prometheus is unreachable or rejects the query (its error message included)
   */
  public OptionalDouble value(String promql, Instant at) throws IOException {
    JsonNode data = get("/api/v1/query?query=" + enc(promql) + "&time=" + at.getEpochSecond() + "." + String.format("%03d", at.getNano() / 1_000_000));
    JsonNode result = data.path("result");
    JsonNode v;
    if (data.path("resultType").asText().equals("scalar")) {
      v = result.get(1);
    } else if (result.isArray() && !result.isEmpty()) {
      v = result.get(0).path("value").get(1);
    } else {
      return OptionalDouble.empty();
    }
    double d = Double.parseDouble(v.asText());
    return Double.isNaN(d) ? OptionalDouble.empty() : OptionalDouble.of(d);
  }

  /**
   * @param label a label name, e.g. {@code le}
   * @param match a series selector, e.g. {@code http_request_duration_seconds_bucket{service="catalog"}}
   * @return the label's values on the matching series
   * @throws IOException when Prometheus is unreachable or rejects the request
   */
  public List<String> labelValues(String label, String match) throws IOException {
    JsonNode data = get("/api/v1/label/" + label + "/values?match[]=" + enc(match));
    List<String> out = new ArrayList<>();
    data.forEach(n -> out.add(n.asText()));
    return out;
  }

  private JsonNode get(String pathAndQuery) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(30)).GET().build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking Prometheus at " + base, e);
    } catch (IOException e) {
      throw new IOException("cannot reach Prometheus at " + base + " (" + e.getClass().getSimpleName() + "): is it running? Start the stack with ./vigil up", e);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IOException("Prometheus at " + base + " answered HTTP " + response.statusCode() + " with a body that is not JSON", e);
    }
    if (!body.path("status").asText().equals("success")) {
      throw new IOException("Prometheus at " + base + " rejected the request: " + body.path("error").asText("HTTP " + response.statusCode()));
    }
    return body.path("data");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

package dev.vigil.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A client of Prometheus' HTTP API v1: instant and range queries, exemplars, label values, alerts,
 * scrape targets and alerting rules. Every method asks once (no retries) and throws {@link
 * IOException} with a message that names Prometheus, its URL and what to do. Source: Prometheus
 * docs, "HTTP API".
 *
 * <pre>{@code
 * PrometheusClient prometheus = new PrometheusClient(URI.create("http://127.0.0.1:9090"));
 * OptionalDouble errors = prometheus.value(
 *     "sum(rate(http_requests_total{status=~\"5..\"}[5m]))", Instant.now());   // requests/s
 * List<PrometheusClient.ActiveAlert> firing = prometheus.alerts();
 * }</pre>
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
  public record ActiveAlert(
      String name, String state, Map<String, String> labels, String activeAt, String value) {

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
   * @param group the name of its rule group
   * @param labels the rule's labels (e.g. {@code severity}, {@code service}), in file order
   * @param annotations the rule's annotations (e.g. {@code summary}, {@code runbook_url})
   * @param state {@code inactive}, {@code pending} or {@code firing}: the most urgent of its alerts
   * @param activeAlerts how many alerts (label sets) of the rule are pending or firing now
   */
  public record AlertRule(
      String name,
      double forSeconds,
      String query,
      double groupIntervalSeconds,
      String group,
      Map<String, String> labels,
      Map<String, String> annotations,
      String state,
      int activeAlerts) {

    /** Copies the label and annotation maps, keeping their order. */
    public AlertRule {
      labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
      annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }
  }

  /**
   * An exemplar Prometheus stored with a sample: one traced observation, e.g. a request's duration
   * with the trace it belongs to. Source: Prometheus docs, "Querying exemplars".
   *
   * @param seriesLabels the labels of the series it was scraped with (e.g. {@code
   *     http_request_duration_seconds_bucket{le="0.5",service="catalog"}})
   * @param labels the exemplar's own labels, e.g. {@code trace_id} and {@code span_id}
   * @param value the observed value, in the metric's unit (seconds for a duration histogram)
   * @param epochSeconds when it was observed, seconds since the epoch (fractional)
   */
  public record Exemplar(
      Map<String, String> seriesLabels,
      Map<String, String> labels,
      double value,
      double epochSeconds) {

    /** Copies the maps. */
    public Exemplar {
      seriesLabels = Collections.unmodifiableMap(new LinkedHashMap<>(seriesLabels));
      labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    /**
     * The trace the observation belongs to.
     *
     * @return the {@code trace_id} label, or empty when the exemplar has none
     */
    public Optional<String> traceId() {
      String id = labels.get("trace_id");
      return id == null || id.isEmpty() ? Optional.empty() : Optional.of(id);
    }
  }

  /**
   * Runs an instant query that returns one series or a scalar.
   *
   * @param promql the query
   * @param at evaluation time (millisecond precision)
   * @return the value of the first sample, or empty when the result is empty or NaN
   * @throws IOException when Prometheus is unreachable or rejects the query (its error message
   *     included)
   */
  public OptionalDouble value(String promql, Instant at) throws IOException {
    JsonNode data = http.getData("/api/v1/query?query=" + enc(promql) + "&time=" + seconds(at));
    JsonNode result = data.path("result");
    JsonNode v;
    if (data.path("resultType").asText().equals("scalar")) {
      v = result.get(1);
    } else if (result.isArray() && !result.isEmpty()) {
      v = result.get(0).path("value").get(1);
    } else {
      return OptionalDouble.empty();
    }
    double d = sample(v.asText());
    return Double.isNaN(d) ? OptionalDouble.empty() : OptionalDouble.of(d);
  }

  /**
   * What one evaluation of a query cost Prometheus, from its own query statistics ({@code
   * stats=all}): the honest cost of a rule, which does not depend on the machine's noise.
   *
   * @param samples samples touched ({@code totalQueryableSamples})
   * @param evalSeconds Prometheus' evaluation time in seconds ({@code timings.evalTotalTime})
   */
  public record QueryCost(long samples, double evalSeconds) {}

  /**
   * Evaluates an instant query and returns what it cost (Prometheus 2.35 or newer; other
   * Prometheus-compatible servers may not report statistics).
   *
   * @param promql the query
   * @param at evaluation time (millisecond precision)
   * @return its cost
   * @throws IOException when Prometheus is unreachable, rejects the query, or reports no statistics
   */
  public QueryCost cost(String promql, Instant at) throws IOException {
    JsonNode data =
        http.getData("/api/v1/query?stats=all&query=" + enc(promql) + "&time=" + seconds(at));
    JsonNode stats = data.path("stats");
    if (stats.isMissingNode()) {
      throw new IOException(http.base() + " reported no query statistics (stats=all)");
    }
    return new QueryCost(
        stats.path("samples").path("totalQueryableSamples").asLong(),
        stats.path("timings").path("evalTotalTime").asDouble());
  }

  /**
   * One series of an instant query's result.
   *
   * @param labels the series' labels (no {@code __name__} when the query computed it)
   * @param value its value; NaN and infinities as Prometheus returned them
   */
  public record Sample(Map<String, String> labels, double value) {}

  /**
   * Runs an instant query and returns every series of its result, so that one request can carry
   * several figures (told apart by their labels).
   *
   * @param promql the query
   * @param at evaluation time (millisecond precision)
   * @return the series in API order; a scalar result as one sample without labels; empty when
   *     nothing matches
   * @throws IOException when Prometheus is unreachable or rejects the query (its error message
   *     included)
   */
  public List<Sample> vector(String promql, Instant at) throws IOException {
    JsonNode data = http.getData("/api/v1/query?query=" + enc(promql) + "&time=" + seconds(at));
    JsonNode result = data.path("result");
    if (data.path("resultType").asText().equals("scalar")) {
      return List.of(new Sample(Map.of(), sample(result.get(1).asText())));
    }
    List<Sample> out = new ArrayList<>();
    for (JsonNode series : result) {
      out.add(
          new Sample(
              JsonGet.strings(series.path("metric")),
              sample(series.path("value").get(1).asText())));
    }
    return out;
  }

  /**
   * One series of a range query's result.
   *
   * @param labels the series' labels (no {@code __name__} when the query computed it)
   * @param points the samples in time order
   */
  public record RangeSeries(Map<String, String> labels, List<Point> points) {}

  /**
   * One sample of a range query.
   *
   * @param epochSeconds the evaluation time, seconds since the epoch (fractional)
   * @param value the value; NaN and infinities as Prometheus returned them
   */
  public record Point(double epochSeconds, double value) {}

  /**
   * Runs a range query ({@code /api/v1/query_range}): the expression evaluated at {@code start},
   * {@code start + step}, ... up to {@code end}.
   *
   * @param promql the query
   * @param start first evaluation time (millisecond precision)
   * @param end last evaluation time, not before {@code start}
   * @param stepSeconds the resolution in seconds, at least 0.001; Prometheus refuses more than
   *     11,000 points per series, so callers derive it from the range and the chart's width
   * @return every series of the matrix, in API order; empty when nothing matches
   * @throws IllegalArgumentException when {@code end} is before {@code start} or the step is not
   *     positive
   * @throws IOException when Prometheus is unreachable or rejects the query (its error message
   *     included)
   */
  public List<RangeSeries> range(String promql, Instant start, Instant end, double stepSeconds)
      throws IOException {
    if (end.isBefore(start) || !(stepSeconds >= 0.001)) {
      throw new IllegalArgumentException(
          "a range query needs start <= end and a step of at least 1 ms, got "
              + start
              + ".."
              + end
              + " step "
              + stepSeconds
              + " s");
    }
    JsonNode data =
        http.getData(
            "/api/v1/query_range?query="
                + enc(promql)
                + "&start="
                + seconds(start)
                + "&end="
                + seconds(end)
                + "&step="
                + String.format(Locale.ROOT, "%.3f", stepSeconds));
    List<RangeSeries> out = new ArrayList<>();
    for (JsonNode series : data.path("result")) {
      List<Point> points = new ArrayList<>();
      for (JsonNode v : series.path("values")) {
        points.add(new Point(v.get(0).asDouble(), sample(v.get(1).asText())));
      }
      out.add(new RangeSeries(JsonGet.strings(series.path("metric")), List.copyOf(points)));
    }
    return out;
  }

  /**
   * The values of one label on the series a selector matches.
   *
   * @param label a label name, e.g. {@code le}
   * @param match a series selector, e.g. {@code
   *     http_request_duration_seconds_bucket{service="catalog"}}
   * @return the label's values on the matching series
   * @throws IOException when Prometheus is unreachable or rejects the request
   */
  public List<String> labelValues(String label, String match) throws IOException {
    JsonNode data = http.getData("/api/v1/label/" + label + "/values?match[]=" + enc(match));
    List<String> out = new ArrayList<>();
    data.forEach(n -> out.add(n.asText()));
    return out;
  }

  /**
   * The alerts Prometheus holds now, pending and firing.
   *
   * @return the alerts, in API order
   * @throws IOException when Prometheus does not answer
   */
  public List<ActiveAlert> alerts() throws IOException {
    List<ActiveAlert> out = new ArrayList<>();
    for (JsonNode a : http.getData("/api/v1/alerts").path("alerts")) {
      Map<String, String> labels = JsonGet.strings(a.path("labels"));
      out.add(
          new ActiveAlert(
              labels.getOrDefault("alertname", ""),
              a.path("state").asText(),
              labels,
              a.path("activeAt").asText(),
              a.path("value").asText()));
    }
    return out;
  }

  /**
   * The active scrape targets with their health.
   *
   * @return the targets, sorted by job then instance
   * @throws IOException when Prometheus does not answer
   */
  public List<Target> targets() throws IOException {
    List<Target> out = new ArrayList<>();
    for (JsonNode t : http.getData("/api/v1/targets?state=active").path("activeTargets")) {
      out.add(
          new Target(
              t.path("labels").path("job").asText(),
              t.path("labels").path("instance").asText(),
              t.path("health").asText(),
              t.path("lastError").asText()));
    }
    out.sort(Comparator.comparing(Target::job).thenComparing(Target::instance));
    return out;
  }

  /**
   * The alerting rules Prometheus has loaded.
   *
   * @return the rules in file order
   * @throws IOException when Prometheus does not answer
   */
  public List<AlertRule> alertRules() throws IOException {
    List<AlertRule> out = new ArrayList<>();
    for (JsonNode group : http.getData("/api/v1/rules?type=alert").path("groups")) {
      for (JsonNode r : group.path("rules")) {
        if (!"alerting".equals(r.path("type").asText("alerting"))) {
          continue;
        }
        out.add(
            new AlertRule(
                r.path("name").asText(),
                r.path("duration").asDouble(),
                r.path("query").asText(),
                group.path("interval").asDouble(),
                group.path("name").asText(),
                JsonGet.strings(r.path("labels")),
                JsonGet.strings(r.path("annotations")),
                r.path("state").asText("inactive"),
                r.path("alerts").size()));
      }
    }
    return out;
  }

  /**
   * The exemplars stored for the series a query selects ({@code /api/v1/query_exemplars}), in a
   * time range. Prometheus keeps exemplars only with {@code --enable-feature=exemplar-storage};
   * without it the answer is empty.
   *
   * @param promql a query; Prometheus takes the exemplars of every series selector in it (e.g.
   *     {@code histogram_quantile(0.95, sum by (le)
   *     (rate(http_request_duration_seconds_bucket[5m])))} gives those of the buckets)
   * @param start start of the range (millisecond precision)
   * @param end end of the range, not before {@code start}
   * @return the exemplars, per series in API order, oldest first within a series
   * @throws IllegalArgumentException when {@code end} is before {@code start}
   * @throws IOException when Prometheus is unreachable or rejects the query (its error message
   *     included)
   */
  public List<Exemplar> exemplars(String promql, Instant start, Instant end) throws IOException {
    if (end.isBefore(start)) {
      throw new IllegalArgumentException(
          "an exemplar query needs start <= end, got " + start + ".." + end);
    }
    JsonNode data =
        http.getData(
            "/api/v1/query_exemplars?query="
                + enc(promql)
                + "&start="
                + seconds(start)
                + "&end="
                + seconds(end));
    List<Exemplar> out = new ArrayList<>();
    for (JsonNode series : data) {
      Map<String, String> seriesLabels = JsonGet.strings(series.path("seriesLabels"));
      for (JsonNode e : series.path("exemplars")) {
        out.add(
            new Exemplar(
                seriesLabels,
                JsonGet.strings(e.path("labels")),
                sample(e.path("value").asText("NaN")),
                e.path("timestamp").asDouble()));
      }
    }
    return out;
  }

  /**
   * A sample value as Prometheus' API writes it: a Go float, {@code NaN}, {@code +Inf} or {@code
   * -Inf}.
   */
  private static double sample(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  /** An instant as Prometheus' API takes it: seconds since the epoch with milliseconds. */
  private static String seconds(Instant at) {
    return at.getEpochSecond() + "." + String.format(Locale.ROOT, "%03d", at.getNano() / 1_000_000);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

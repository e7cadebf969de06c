package dev.vigil.slo.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.prometheus.PrometheusTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the committed golden-signals dashboard shows for a known catalog, evaluated by {@code
 * promtool test rules} with the hand-written rule files loaded (the host panels read their recorded
 * series). Grafana's variables are replaced as Grafana would with the defaults: {@code $service} =
 * catalog, {@code $instance} and {@code $node} = All ({@code .*}), {@code $__rate_interval} = 5m.
 *
 * <p>The catalog serves three endpoints at 10 requests/s each (200, 404, 500), every request
 * between 50 and 100 ms; it runs on a host whose CPU is 75% idle. Each query is wrapped as {@code
 * abs((query) - expected) < bool 1e-9}, so every series it returns must hold the expected value and
 * every expected series must be there.
 */
class GoldenSignalsQueriesTest {

  private static final Path ROOT =
      Path.of(System.getProperty("vigil.root", "..")).toAbsolutePath().normalize();
  private static final String CATALOG =
      "instance=\"127.0.0.1:8000\",job=\"catalog\",service=\"catalog\"";
  private static final String NODE = "instance=\"127.0.0.1:9100\",job=\"node\"";

  /**
   * One query's expected value, shared by every series it returns, and those series' label sets.
   */
  private record Expect(String value, List<String> series) {}

  @Test
  void everyPanelShowsWhatTheKnownServiceImplies(@TempDir Path work) throws Exception {
    Map<String, List<Expect>> expected = new LinkedHashMap<>();
    expected.put(
        "Request rate by endpoint and status",
        List.of(
            new Expect(
                "10",
                List.of(
                    "{endpoint=\"/api/products\",status=\"200\"}",
                    "{endpoint=\"/data/error\",status=\"500\"}",
                    "{endpoint=\"NOT_FOUND\",status=\"404\"}"))));
    // 404 and 500 are errors (2 of 3 requests); only the 500 is a server error (1 of 3).
    expected.put(
        "Error ratio",
        List.of(new Expect("2 / 3", List.of("{}")), new Expect("1 / 3", List.of("{}"))));
    // All requests in the (0.05, 0.1] bucket: quantile q lies at 0.05 + 0.05 q (linear
    // interpolation).
    expected.put(
        "Latency p50 / p95 / p99",
        List.of(
            new Expect("0.075", List.of("{}")),
            new Expect("0.0975", List.of("{}")),
            new Expect("0.0995", List.of("{}"))));
    expected.put(
        "In-flight requests", List.of(new Expect("3", List.of("{instance=\"127.0.0.1:8000\"}"))));
    expected.put("Process CPU", List.of(new Expect("0.5", List.of("{" + CATALOG + "}"))));
    expected.put(
        "JVM heap",
        List.of(
            new Expect("1e8", List.of("{area=\"heap\"," + CATALOG + "}")),
            new Expect("5e8", List.of("{area=\"heap\"," + CATALOG + "}"))));
    String pool = "{" + CATALOG + ",pool=\"catalog\"}";
    expected.put(
        "Database connection pool",
        List.of(
            new Expect("4", List.of(pool)),
            new Expect("10", List.of(pool)),
            new Expect("0", List.of(pool))));
    expected.put(
        "Host CPU and memory",
        List.of(
            new Expect("0.25", List.of("{" + NODE + "}")),
            new Expect("0.75", List.of("{" + NODE + "}"))));
    expected.put(
        "Host disk used",
        List.of(
            new Expect(
                "0.7",
                List.of("{device=\"/dev/sda1\",fstype=\"ext4\"," + NODE + ",mountpoint=\"/\"}"))));
    expected.put("Queue depth", List.of(new Expect("7", List.of("{queue=\"confirmations\"}"))));
    expected.put("Cache hit ratio", List.of(new Expect("0.9", List.of("{cache=\"products\"}"))));
    // All statements in the (0.005, 0.01] bucket: p95 = 0.005 + 0.005 x 0.95.
    expected.put(
        "Database query p95 by statement",
        List.of(new Expect("0.00975", List.of("{query=\"product_by_id\"}"))));
    expected.put("Orders by status", List.of(new Expect("2", List.of("{status=\"confirmed\"}"))));
    expected.put(
        "Data pipeline",
        List.of(new Expect("100", List.of("{}")), new Expect("0.1", List.of("{}"))));

    JsonNode dashboard =
        DashboardLint.read(ROOT.resolve("deploy/grafana/dashboards"))
            .get("catalog-golden-signals.json");
    List<Map<String, Object>> checks = new ArrayList<>();
    for (JsonNode panel : DashboardLint.panels(dashboard)) {
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      String title = panel.path("title").asText();
      List<Expect> perTarget = expected.remove(title);
      assertThat(perTarget)
          .as("no expectation for panel '%s': add one to this test", title)
          .isNotNull();
      assertThat(panel.path("targets")).as("queries of '%s'", title).hasSize(perTarget.size());
      for (int i = 0; i < perTarget.size(); i++) {
        String expr = DashboardLint.substitute(panel.path("targets").get(i).path("expr").asText());
        Expect e = perTarget.get(i);
        checks.add(
            Map.of(
                "expr",
                "abs((" + expr + ") - (" + e.value() + ")) < bool 1e-9",
                "eval_time",
                "120m",
                "exp_samples",
                e.series().stream().map(l -> Map.of("labels", l, "value", 1)).toList()));
      }
    }
    assertThat(expected).as("panels expected but missing from the dashboard").isEmpty();

    List<String> rules =
        DashboardLint.ruleFiles(ROOT.resolve("deploy/prometheus/rules")).stream()
            .map(Path::toString)
            .toList();
    Map<String, Object> test =
        Map.of("interval", "1m", "input_series", inputSeries(), "promql_expr_test", checks);
    Path file = work.resolve("golden-signals-test.yml");
    Files.writeString(
        file,
        new YAMLMapper()
            .writeValueAsString(
                Map.of("rule_files", rules, "evaluation_interval", "1m", "tests", List.of(test))));
    PrometheusTool.Result promtool =
        PrometheusTool.PROMTOOL.run(work, "test", "rules", file.toString());
    assertThat(promtool.exitCode())
        .as("promtool test rules of the golden-signals dashboard's queries:%n%s", promtool.output())
        .isZero();
  }

  /**
   * Two hours at one sample a minute. Counters: {@code 0+<per minute>x120}; gauges: {@code
   * <value>x120}.
   */
  private static List<Map<String, String>> inputSeries() {
    List<Map<String, String>> in = new ArrayList<>();
    for (String[] r :
        new String[][] {{"/api/products", "200"}, {"NOT_FOUND", "404"}, {"/data/error", "500"}}) {
      String labels = CATALOG + ",endpoint=\"" + r[0] + "\",method=\"GET\",status=\"" + r[1] + "\"";
      in.add(series("http_requests_total{" + labels + "}", "0+600x120"));
      if (!r[1].equals("200")) {
        in.add(series("http_errors_total{" + labels + "}", "0+600x120"));
      }
    }
    in.add(series("http_request_duration_seconds_bucket{" + CATALOG + ",le=\"0.05\"}", "0x120"));
    in.add(
        series("http_request_duration_seconds_bucket{" + CATALOG + ",le=\"0.1\"}", "0+1800x120"));
    in.add(
        series("http_request_duration_seconds_bucket{" + CATALOG + ",le=\"+Inf\"}", "0+1800x120"));
    in.add(series("http_requests_active{" + CATALOG + "}", "3x120"));
    in.add(series("process_cpu_seconds_total{" + CATALOG + "}", "0+30x120"));
    in.add(series("jvm_memory_used_bytes{" + CATALOG + ",area=\"heap\"}", "100000000x120"));
    in.add(series("jvm_memory_used_bytes{" + CATALOG + ",area=\"nonheap\"}", "20000000x120"));
    in.add(series("jvm_memory_max_bytes{" + CATALOG + ",area=\"heap\"}", "500000000x120"));
    in.add(series("db_connection_pool_active{" + CATALOG + ",pool=\"catalog\"}", "4x120"));
    in.add(series("db_connection_pool_max{" + CATALOG + ",pool=\"catalog\"}", "10x120"));
    in.add(series("db_connection_pool_pending{" + CATALOG + ",pool=\"catalog\"}", "0x120"));
    in.add(series("queue_depth{" + CATALOG + ",queue=\"confirmations\"}", "7x120"));
    in.add(series("cache_hits_total{" + CATALOG + ",cache=\"products\"}", "0+540x120"));
    in.add(series("cache_misses_total{" + CATALOG + ",cache=\"products\"}", "0+60x120"));
    in.add(
        series(
            "db_query_duration_seconds_bucket{"
                + CATALOG
                + ",query=\"product_by_id\",le=\"0.005\"}",
            "0x120"));
    in.add(
        series(
            "db_query_duration_seconds_bucket{" + CATALOG + ",query=\"product_by_id\",le=\"0.01\"}",
            "0+60x120"));
    in.add(
        series(
            "db_query_duration_seconds_bucket{" + CATALOG + ",query=\"product_by_id\",le=\"+Inf\"}",
            "0+60x120"));
    in.add(
        series(
            "orders_total{" + CATALOG + ",status=\"confirmed\",payment_method=\"card\"}",
            "0+120x120"));
    in.add(series("pipeline_records_processed_total{" + CATALOG + "}", "0+6000x120"));
    in.add(series("pipeline_errors_total{" + CATALOG + "}", "0+6x120"));
    in.add(series("node_cpu_seconds_total{" + NODE + ",cpu=\"0\",mode=\"idle\"}", "0+45x120"));
    in.add(series("node_memory_MemAvailable_bytes{" + NODE + "}", "2000000000x120"));
    in.add(series("node_memory_MemTotal_bytes{" + NODE + "}", "8000000000x120"));
    String fs = NODE + ",device=\"/dev/sda1\",fstype=\"ext4\",mountpoint=\"/\"";
    in.add(series("node_filesystem_avail_bytes{" + fs + "}", "30x120"));
    in.add(series("node_filesystem_size_bytes{" + fs + "}", "100x120"));
    String tmpfs = NODE + ",device=\"tmpfs\",fstype=\"tmpfs\",mountpoint=\"/run\"";
    in.add(series("node_filesystem_avail_bytes{" + tmpfs + "}", "1x120"));
    in.add(series("node_filesystem_size_bytes{" + tmpfs + "}", "100x120"));
    return in;
  }

  private static Map<String, String> series(String name, String values) {
    return Map.of("series", name, "values", values);
  }
}

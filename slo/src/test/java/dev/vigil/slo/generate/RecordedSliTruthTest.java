package dev.vigil.slo.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.prometheus.PrometheusTool;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import dev.vigil.slo.spec.SpecReader;
import dev.vigil.slo.validate.SloValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorded SLI of specs that once read silently wrong, evaluated by promtool on the generated
 * rules over hand-written raw counters; the expected ratio is worked out from those counters in
 * each test.
 */
class RecordedSliTruthTest {

  @TempDir Path work;

  @Test
  void goodSliWhoseSuccessSeriesDoesNotExistYetReadsAllRequestsFailingNotZeroErrors()
      throws Exception {
    // A new deployment where every request fails: only the 500 series exists, no 200 series at all.
    List<Slo> slos =
        read(
            """
        apiVersion: vigil/v1
        service: checkout
        slos:
          - name: availability
            objective: 99.9
            period: 30d
            sli:
              events:
                good: sum(rate(http_requests_total{service="checkout",code="200"}[{{window}}]))
                total: sum(rate(http_requests_total{service="checkout"}[{{window}}]))
        """);
    promtool(
        slos,
        Map.of("http_requests_total{service=\"checkout\",code=\"500\"}", "0+60x30"),
        // 60 requests a minute, all failed: bad / total = 1
        ratioAt("10m", "checkout", "availability", "1"));
  }

  @Test
  void latencyThresholdThatIsNotABucketBoundaryCountsEveryRequestAsSlowNotNone() throws Exception {
    List<Slo> slos = read(latencySpec("0.3"));
    promtool(
        slos,
        histogram("0.25", "0.5"),
        // no le="0.3" bucket: nothing is known to be faster, so docs/slo-spec.md's promise holds:
        // all slow
        ratioAt("10m", "catalog", "latency", "1"));
  }

  @Test
  void wholeSecondThresholdMatchesTheBucketWhetherTheClientWritesOneOrOnePointZero()
      throws Exception {
    List<Slo> slos = read(latencySpec("1"));
    // client_java 1.x writes le="1.0": 45 of 60 requests a minute are within it, 15 slow = 1/4
    promtool(slos, histogram("0.5", "1.0"), ratioAt("10m", "catalog", "latency", "0.25"));
  }

  @Test
  void perInstanceQueriesAreSummedSoAQuarterPerMilleOfErrorsDoesNotPageAtAThousandTimes()
      throws Exception {
    // Written without sum(): per-series division would pair the 500 series with itself (100%
    // errors).
    List<Slo> slos =
        read(
            """
        apiVersion: vigil/v1
        service: catalog
        slos:
          - name: availability
            objective: 99.9
            period: 30d
            sli:
              events:
                bad: rate(http_requests_total{service="catalog",status=~"5.."}[{{window}}])
                total: rate(http_requests_total{service="catalog"}[{{window}}])
        """);
    Map<String, String> series = new LinkedHashMap<>();
    series.put(
        "http_requests_total{service=\"catalog\",instance=\"a\",status=\"200\"}", "0+1999x90");
    series.put("http_requests_total{service=\"catalog\",instance=\"a\",status=\"500\"}", "0+1x90");
    series.put(
        "http_requests_total{service=\"catalog\",instance=\"b\",status=\"200\"}", "0+2000x90");
    // 1 failure in 4000 requests a minute: 0.025%, a burn rate of 0.25 against a 0.1% budget
    Map<String, Object> test = ratioAt("10m", "catalog", "availability", "0.00025");
    test.put(
        "alert_rule_test",
        List.of(
            Map.of(
                "eval_time", "90m", "alertname", SloSeries.ALERT_PAGE, "exp_alerts", List.of())));
    promtool(slos, series, test);
  }

  private static String latencySpec(String threshold) {
    return """
        apiVersion: vigil/v1
        service: catalog
        slos:
          - name: latency
            objective: 95
            period: 30d
            sli:
              latency:
                metric: http_request_duration_seconds
                selector: {service: catalog}
                threshold: %s
        """
        .formatted(threshold);
  }

  /** 60 requests a minute: 30 within the first boundary, 45 within the second, all within +Inf. */
  private static Map<String, String> histogram(String first, String second) {
    Map<String, String> series = new LinkedHashMap<>();
    series.put(
        "http_request_duration_seconds_bucket{service=\"catalog\",le=\"" + first + "\"}",
        "0+30x30");
    series.put(
        "http_request_duration_seconds_bucket{service=\"catalog\",le=\"" + second + "\"}",
        "0+45x30");
    series.put("http_request_duration_seconds_bucket{service=\"catalog\",le=\"+Inf\"}", "0+60x30");
    series.put("http_request_duration_seconds_count{service=\"catalog\"}", "0+60x30");
    return series;
  }

  /**
   * A promtool check that the recorded 5m error ratio is the expected ratio, to 1e-12 relative:
   * each recorded minute is Prometheus' rate x 60 s, so the sum of minutes is float arithmetic.
   */
  private static Map<String, Object> ratioAt(
      String evalTime, String service, String slo, String ratio) {
    String series =
        SloSeries.errorRatio(dev.vigil.prometheus.PromDuration.parse("5m"))
            + "{service=\""
            + service
            + "\",slo=\""
            + slo
            + "\"}";
    Map<String, Object> test = new LinkedHashMap<>();
    test.put(
        "promql_expr_test",
        List.of(
            Map.of(
                "eval_time",
                evalTime,
                "expr",
                "abs(" + series + " - " + ratio + ") <= bool 1e-12 * " + ratio,
                "exp_samples",
                List.of(
                    Map.of(
                        "labels",
                        "{service=\"" + service + "\",slo=\"" + slo + "\"}",
                        "value",
                        1)))));
    return test;
  }

  private List<Slo> read(String spec) throws Exception {
    Path file = Files.writeString(work.resolve("spec.yaml"), spec);
    SpecReader.Result read = new SpecReader().read(List.of(file));
    assertThat(read.problems()).isEmpty();
    assertThat(new SloValidator().validate(read.slos())).isEmpty();
    return read.slos();
  }

  /**
   * Runs {@code promtool test rules} with the generated rules, the input series and the test's
   * assertions.
   */
  private void promtool(List<Slo> slos, Map<String, String> series, Map<String, Object> assertions)
      throws Exception {
    YAMLMapper yaml = new YAMLMapper();
    Path rules = work.resolve("rules.yml");
    Files.writeString(
        rules, yaml.writeValueAsString(Map.of("groups", new RuleFileGenerator().groups(slos))));
    Map<String, Object> test = new LinkedHashMap<>();
    test.put("interval", "1m");
    test.put(
        "input_series",
        series.entrySet().stream()
            .map(e -> Map.of("series", e.getKey(), "values", e.getValue()))
            .toList());
    test.putAll(assertions);
    Path tests = work.resolve("test.yml");
    Files.writeString(
        tests,
        yaml.writeValueAsString(
            Map.of(
                "rule_files",
                List.of(rules.toString()),
                "evaluation_interval",
                "1m",
                "tests",
                List.of(test))));
    PrometheusTool.Result result =
        PrometheusTool.PROMTOOL.run(work, "test", "rules", tests.toString());
    assertThat(result.exitCode()).as("promtool test rules:%n%s", result.output()).isZero();
  }
}

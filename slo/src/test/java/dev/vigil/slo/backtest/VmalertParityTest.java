package dev.vigil.slo.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.prometheus.LocalPrometheus;
import dev.vigil.prometheus.PrometheusTool;
import dev.vigil.slo.generate.RuleFileGenerator;
import dev.vigil.slo.model.Slo;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One rule set, two engines, the same alerts: three hours of the catalog's requests with an hour of
 * 2% errors are imported into Prometheus (promtool blocks) and into VictoriaMetrics (its import
 * API); the backtest replays the generated availability rules on Prometheus, and vmalert's replay
 * mode evaluates the same generated rule file on VictoriaMetrics, minute by minute. Each burn-rate
 * alert must fire at the same minutes on both, give or take one evaluation interval at each edge
 * (MetricsQL's {@code increase} does not extrapolate). vmalert's replay refuses annotation
 * templates that run queries, so its copy of the rules has no annotations: they do not decide when
 * an alert fires.
 */
class VmalertParityTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path work;

  @Test
  void vmalertOverVictoriaMetricsFiresTheBurnRateAlertsAtThePrometheusMinutes() throws Exception {
    Slo slo = CatalogSlos.availability();
    int minutes = 180;
    Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(10, ChronoUnit.MINUTES);
    Instant start = end.minus(minutes, ChronoUnit.MINUTES);
    StringBuilder om = new StringBuilder("# TYPE http_requests counter\n");
    StringBuilder text = new StringBuilder();
    long good = 0;
    long bad = 0;
    for (int m = 0; m <= minutes; m++) {
      if (m > 0) {
        long failed = m > 60 && m <= 120 ? 20 : 0;
        bad += failed;
        good += 1000 - failed;
      }
      long t = start.getEpochSecond() + m * 60L;
      for (String[] series :
          new String[][] {{"200", Long.toString(good)}, {"500", Long.toString(bad)}}) {
        String name = "http_requests_total{service=\"catalog\",status=\"" + series[0] + "\"} ";
        om.append(name).append(series[1]).append(' ').append(t).append('\n');
        text.append(name).append(series[1]).append(' ').append(t * 1000).append('\n');
      }
    }
    om.append("# EOF\n");

    // Prometheus' engine: the backtest
    LocalPrometheus.importOpenMetrics(
        Files.writeString(work.resolve("history.om"), om.toString()), work.resolve("history"));
    Backtest.Result result;
    try (LocalPrometheus source =
            LocalPrometheus.start(work.resolve("history"), List.of(), work.resolve("source.log"));
        LocalPrometheus replay =
            LocalPrometheus.start(work.resolve("replay"), List.of(), work.resolve("replay.log"))) {
      result = new Backtest(source.client(), replay.client(), replay.writer()).run(slo, start, end);
    }
    Map<String, Set<Instant>> prometheus = new TreeMap<>();
    for (Backtest.AlertResult a : result.alerts()) {
      if (a.labels().containsKey("long_window")) {
        prometheus.put(a.title(), new TreeSet<>(a.firingMinutes()));
      }
    }

    // VictoriaMetrics' engine: vmalert -replay over the same history, the same generated rules
    Map<String, Set<Instant>> victoria;
    int port = freePort();
    Process vm =
        new ProcessBuilder(
                PrometheusTool.VICTORIA_METRICS.require().toString(),
                "-storageDataPath=" + work.resolve("vm"),
                "-httpListenAddr=127.0.0.1:" + port,
                "-retentionPeriod=100y",
                "-search.disableCache",
                "-search.latencyOffset=0s")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("vm.log").toFile())
            .start();
    try {
      URI url = URI.create("http://127.0.0.1:" + port);
      awaitHealthy(url);
      send(url, "/api/v1/import/prometheus", text.toString());
      // imported rows become searchable a moment later: a replay started before evaluates
      // nothing and still exits 0 (a known vmalert trap)
      String visible =
          "/api/v1/query?query=count(http_requests_total)&time=" + end.getEpochSecond();
      for (int i = 0; i < 100 && !get(url, visible).contains("\"2\""); i++) {
        Thread.sleep(200);
      }
      assertThat(get(url, visible)).as("the imported history is searchable").contains("\"2\"");
      // layer by layer, as the backtest does: a single replay pass evaluates each rule over the
      // whole range in turn, and a rule whose input was written a moment before may read nothing
      // (vmalert then records nothing and still exits 0); each layer waits until its last
      // recording is searchable
      List<List<Map<String, Object>>> layers = layers(slo);
      for (int layer = 0; layer < layers.size(); layer++) {
        Path rules = work.resolve("layer" + layer + ".yml");
        new YAMLMapper()
            .writeValue(
                rules.toFile(),
                Map.of(
                    "groups",
                    List.of(
                        Map.of(
                            "name",
                            "slo-layer" + layer,
                            "interval",
                            "1m",
                            "rules",
                            layers.get(layer)))));
        PrometheusTool.Result replay =
            PrometheusTool.VMALERT.run(
                300,
                work,
                "-rule=" + rules,
                "-datasource.url=" + url,
                "-remoteWrite.url=" + url,
                "-replay.timeFrom=" + start,
                "-replay.timeTo=" + end,
                "-replay.disableProgressBar",
                "-datasource.queryStep=1m",
                "-loggerLevel=WARN");
        assertThat(replay.succeeded()).as("vmalert replay said:%n%s", replay.output()).isTrue();
        List<Map<String, Object>> rulesOfLayer = layers.get(layer);
        Object last = rulesOfLayer.get(rulesOfLayer.size() - 1).get("record");
        if (last != null) {
          String written = "/api/v1/query?query=count(" + last + ")&time=" + end.getEpochSecond();
          for (int i = 0; i < 100 && !get(url, written).contains("\"1\""); i++) {
            Thread.sleep(200);
          }
          assertThat(get(url, written)).as("vmalert recorded %s", last).contains("\"1\"");
        }
      }

      // what vmalert remote-wrote becomes searchable within a second or two
      victoria = firingMinutes(url, start, end);
      for (int i = 0; i < 60 && victoria.isEmpty(); i++) {
        Thread.sleep(500);
        victoria = firingMinutes(url, start, end);
      }
    } finally {
      vm.destroy();
      vm.waitFor();
    }

    for (String alert : prometheus.keySet()) {
      System.out.printf(
          "%s: Prometheus %d minutes from %s, VictoriaMetrics %d from %s%n",
          alert,
          prometheus.get(alert).size(),
          prometheus.get(alert).isEmpty() ? "-" : first(prometheus.get(alert)),
          victoria.getOrDefault(alert, Set.of()).size(),
          victoria.getOrDefault(alert, Set.of()).isEmpty() ? "-" : first(victoria.get(alert)));
    }
    assertThat(prometheus.values().stream().mapToInt(Set::size).sum())
        .as("minutes some burn-rate alert fired in the backtest")
        .isPositive();
    assertThat(victoria.keySet()).isEqualTo(prometheus.keySet());
    for (String alert : prometheus.keySet()) {
      Set<Instant> p = prometheus.get(alert);
      Set<Instant> v = victoria.get(alert);
      assertThat(Math.abs(p.size() - v.size()))
          .as("%s: firing minutes on Prometheus %s, on VictoriaMetrics %s", alert, p, v)
          .isLessThanOrEqualTo(2);
      if (!p.isEmpty()) {
        assertThat(minutesBetween(first(p), first(v)))
            .as("%s starts firing within one evaluation", alert)
            .isLessThanOrEqualTo(1);
      }
    }
  }

  /**
   * The generated rule group of the SLO in three layers: the minute counts, the recordings over
   * them, the alerts; annotations left out (vmalert's replay refuses templates that run queries,
   * and annotations do not decide when an alert fires).
   */
  private static List<List<Map<String, Object>>> layers(Slo slo) {
    List<Map<String, Object>> events = new java.util.ArrayList<>();
    List<Map<String, Object>> recordings = new java.util.ArrayList<>();
    List<Map<String, Object>> alerts = new java.util.ArrayList<>();
    for (Map<String, Object> group : new RuleFileGenerator().groups(List.of(slo))) {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rules = (List<Map<String, Object>>) group.get("rules");
      for (Map<String, Object> rule : rules) {
        rule.remove("annotations");
        Object record = rule.get("record");
        if (record == null) {
          alerts.add(rule);
        } else if (record.toString().endsWith(":increase1m")) {
          events.add(rule);
        } else {
          recordings.add(rule);
        }
      }
    }
    return List.of(events, recordings, alerts);
  }

  /** The minutes at which vmalert wrote each burn-rate alert as firing, by {@code title()}. */
  private static Map<String, Set<Instant>> firingMinutes(URI url, Instant start, Instant end)
      throws Exception {
    String match =
        URLEncoder.encode(
            "ALERTS{alertstate=\"firing\",long_window!=\"\"}", StandardCharsets.UTF_8);
    String body =
        get(
            url,
            "/api/v1/export?match[]="
                + match
                + "&start="
                + start.getEpochSecond()
                + "&end="
                + end.getEpochSecond());
    Map<String, Set<Instant>> out = new TreeMap<>();
    for (String line : body.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode series = JSON.readTree(line);
      String title =
          series.path("metric").path("alertname").asText()
              + " "
              + series.path("metric").path("long_window").asText()
              + "/"
              + series.path("metric").path("short_window").asText();
      Set<Instant> minutes = out.computeIfAbsent(title, k -> new TreeSet<>());
      for (JsonNode t : series.path("timestamps")) {
        minutes.add(Instant.ofEpochMilli(t.asLong()).truncatedTo(ChronoUnit.MINUTES));
      }
    }
    return out;
  }

  private static Instant first(Set<Instant> minutes) {
    return minutes.iterator().next();
  }

  private static long minutesBetween(Instant a, Instant b) {
    return Math.abs(Duration.between(a, b).toMinutes());
  }

  private static void awaitHealthy(URI url) throws Exception {
    for (int i = 0; i < 300; i++) {
      try {
        if (get(url, "/health").strip().equals("OK")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("VictoriaMetrics did not answer /health within 30 s");
  }

  private static String get(URI url, String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(url + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static void send(URI url, String path, String body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isBetween(200, 299);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

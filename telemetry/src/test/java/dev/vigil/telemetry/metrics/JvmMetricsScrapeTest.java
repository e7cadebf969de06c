package dev.vigil.telemetry.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.DemoService;
import dev.vigil.telemetry.TelemetrySwitches;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code /metrics} gives a dashboard about the JVM and the process: every {@code jvm_*} and
 * {@code process_*} series the committed Grafana dashboards query, and the families the Prometheus
 * Java client documents for each collector vigil registers; in the format the scraper asks for.
 */
class JvmMetricsScrapeTest {

  private static final Path DASHBOARDS =
      Path.of(System.getProperty("vigil.root", "..")).resolve("deploy/grafana/dashboards");

  private static DemoService service;

  @BeforeAll
  static void start() {
    service = new DemoService(TelemetrySwitches.all());
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @Test
  void everyJvmAndProcessSeriesTheDashboardsQueryIsScraped() throws Exception {
    Set<String> queried = new TreeSet<>();
    Pattern name = Pattern.compile("\\b((?:jvm|process)_[a-z_]+)");
    try (var files = Files.list(DASHBOARDS)) {
      for (Path file : files.toList()) {
        Matcher m = name.matcher(Files.readString(file));
        while (m.find()) {
          queried.add(m.group(1));
        }
      }
    }
    assertThat(queried)
        .as("the dashboards read the JVM's memory and the process' CPU")
        .isNotEmpty();

    String scrape = service.get("/metrics").body();

    assertThat(queried)
        .allSatisfy(
            series -> assertThat(scrape).as("/metrics").containsPattern("(?m)^" + series + "[{ ]"));
  }

  @Test
  void eachRegisteredCollectorShowsItsFamilies() throws Exception {
    // the memory pools' allocation counters appear once a collection has been reported to the
    // collector's listener, which happens on a JMX notification thread shortly after the GC
    String scrape = "";
    for (long deadline = System.nanoTime() + 10_000_000_000L;
        !scrape.contains("jvm_memory_pool_allocated_bytes_total{")
            && System.nanoTime() < deadline; ) {
      System.gc();
      Thread.sleep(100);
      scrape = service.get("/metrics").body();
    }

    // families as the Prometheus Java client's JVM and process collectors name them
    for (String family :
        List.of(
            "jvm_threads_current",
            "jvm_buffer_pool_used_bytes",
            "jvm_classes_currently_loaded",
            "jvm_compilation_time_seconds_total",
            "jvm_gc_collection_seconds_count",
            "jvm_memory_pool_allocated_bytes_total",
            "jvm_memory_used_bytes",
            "jvm_runtime_info",
            "process_cpu_seconds_total")) {
      assertThat(scrape).as(family).containsPattern("(?m)^" + family + "[{ ]");
    }
  }

  @Test
  void nativeMemoryCollectorsAreRegisteredOnlyWhenTheLastTrackingOptionTurnsItOn() {
    assertThat(JvmCollectors.nativeMemoryTracked(List.of("-Xmx128m"))).isFalse();
    assertThat(JvmCollectors.nativeMemoryTracked(List.of("-XX:NativeMemoryTracking=summary")))
        .isTrue();
    assertThat(JvmCollectors.nativeMemoryTracked(List.of("-XX:NativeMemoryTracking=detail")))
        .isTrue();
    assertThat(JvmCollectors.nativeMemoryTracked(List.of("-XX:NativeMemoryTracking=off")))
        .isFalse();
    assertThat(
            JvmCollectors.nativeMemoryTracked(
                List.of("-XX:NativeMemoryTracking=summary", "-XX:NativeMemoryTracking=off")))
        .as("the JVM takes the last one")
        .isFalse();
    assertThat(
            JvmCollectors.nativeMemoryTracked(
                List.of("-XX:NativeMemoryTracking=off", "-XX:NativeMemoryTracking=detail")))
        .isTrue();
  }

  @Test
  void aScraperAskingForOpenMetricsGetsItOthersGetPrometheusText() throws Exception {
    HttpResponse<String> openMetrics =
        service.send(
            HttpRequest.newBuilder(URI.create(service.url("/metrics")))
                .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
                .build());
    HttpResponse<String> plain = service.get("/metrics");

    assertThat(openMetrics.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/openmetrics-text"));
    assertThat(openMetrics.body()).endsWith("# EOF\n");
    assertThat(plain.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
    assertThat(plain.body()).doesNotContain("# EOF");
  }
}

package dev.vigil.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.telemetry.health.HealthStatus;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TelemetryPluginTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final DemoService service = new DemoService(TelemetrySwitches.all());

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void countersAndHistogramMoveByExactlyTheRequestsSent() throws Exception {
    for (int i = 0; i < 3; i++) {
      service.get("/items/" + i);
    }
    service.get("/boom");
    service.get("/nonexistent");
    service.get("/nonexistent/again");
    service.send(HttpRequest.newBuilder(URI.create(service.url("/items/1"))).DELETE().build());
    service.get("/healthz");
    service.get("/readyz");
    service.get("/health/detailed");
    service.get("/metrics");

    Scrape scrape = service.scrape();
    assertThat(
            scrape.value(
                "http_requests_total", "endpoint", "/items/{id}", "method", "GET", "status", "200"))
        .as("three GETs on one route template, whatever the id")
        .isEqualTo(3);
    assertThat(
            scrape.value(
                "http_request_duration_seconds_count",
                "endpoint",
                "/items/{id}",
                "method",
                "GET",
                "status",
                "200"))
        .isEqualTo(3);
    assertThat(
            scrape.value(
                "http_requests_total", "endpoint", "/boom", "method", "GET", "status", "500"))
        .isEqualTo(1);
    assertThat(
            scrape.value(
                "http_errors_total", "endpoint", "/boom", "method", "GET", "status", "500"))
        .isEqualTo(1);
    assertThat(
            scrape.value(
                "http_errors_total", "endpoint", "NOT_FOUND", "method", "GET", "status", "404"))
        .as("unmatched paths share the NOT_FOUND endpoint")
        .isEqualTo(2);
    assertThat(
            scrape.value(
                "http_errors_total",
                "endpoint",
                "/items/{id}",
                "method",
                "DELETE",
                "status",
                "405"))
        .as("a wrong method on a known route keeps the route template")
        .isEqualTo(1);
    assertThat(scrape.value("http_requests_active")).isZero();
    assertThat(scrape.samples())
        .as("probes and /metrics are not traffic")
        .noneMatch(
            s ->
                s.name().startsWith("http_")
                    && String.valueOf(s.labels().get("endpoint"))
                        .matches("/metrics|/healthz|/readyz|/health/detailed"));
    double total =
        scrape.series("http_requests_total").stream().mapToDouble(Scrape.Sample::value).sum();
    assertThat(total).isEqualTo(7);
    assertThat(scrape.seriesCount("jvm_memory")).isPositive();
    assertThat(scrape.seriesCount("process_cpu")).isPositive();
  }

  @Test
  void aFreshServersErrorPanelsShowZeroNotNoData() throws Exception {
    // No request has been served: the first scrape must already hold, per declared route, the 5xx
    // series the error-ratio rules, the availability SLI and the seeds' status=~"5.." panel read,
    // and the success series of the ratio's denominator, as old as the 5xx one
    Scrape fresh = service.scrape();
    for (String[] route :
        new String[][] {{"GET", "/items/{id}"}, {"POST", "/items"}, {"GET", "/boom"}}) {
      for (String status : List.of("200", "500")) {
        String[] labels = {"endpoint", route[1], "method", route[0], "status", status};
        List<String> names =
            status.equals("500")
                ? List.of(
                    "http_requests_total",
                    "http_errors_total",
                    "http_request_duration_seconds_count")
                : List.of("http_requests_total", "http_request_duration_seconds_count");
        for (String name : names) {
          assertThat(fresh.samples())
              .as("%s%s on a fresh server", name, List.of(labels))
              .anySatisfy(
                  s -> {
                    assertThat(s.name()).isEqualTo(name);
                    assertThat(s.labels()).containsExactlyInAnyOrderEntriesOf(labelMap(labels));
                    assertThat(s.value()).isZero();
                  });
        }
      }
    }
    assertThat(fresh.samples())
        .as("probes and /metrics are not traffic: no series for them")
        .noneMatch(
            s -> s.name().startsWith("http_") && "/metrics".equals(s.labels().get("endpoint")));
    assertThat(fresh.samples())
        .as(
            "only the 200 and 5xx slots are pre-registered: other codes come with their first request")
        .noneMatch(
            s ->
                s.name().startsWith("http_requests_total")
                    && !List.of("200", "500").contains(s.labels().get("status")));
    assertThat(fresh.samples())
        .as("a success is not an error: no http_errors_total{status=\"200\"}")
        .noneMatch(
            s ->
                s.name().startsWith("http_errors_total") && "200".equals(s.labels().get("status")));
  }

  private static java.util.Map<String, String> labelMap(String... labels) {
    java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      map.put(labels[i], labels[i + 1]);
    }
    return map;
  }

  @Test
  void tenThousandRandomUnknownPathsAddNoSeries() throws Exception {
    service.get("/warm-up/" + UUID.randomUUID());
    long before = service.scrape().seriesCount("http_");

    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int worker = 0; worker < 50; worker++) {
        statuses.add(
            pool.submit(
                () -> {
                  int notFound = 0;
                  for (int i = 0; i < 200; i++) {
                    notFound +=
                        service.get("/random/" + UUID.randomUUID()).statusCode() == 404 ? 1 : 0;
                  }
                  return notFound;
                }));
      }
      int notFound = 0;
      for (Future<Integer> f : statuses) {
        notFound += f.get();
      }
      assertThat(notFound).isEqualTo(10_000);
    }

    Scrape after = service.scrape();
    assertThat(after.seriesCount("http_")).isEqualTo(before);
    assertThat(
            after.value(
                "http_requests_total", "endpoint", "NOT_FOUND", "method", "GET", "status", "404"))
        .isEqualTo(10_001);
  }

  @Test
  void openMetricsIsServedWhenTheScraperAsksForIt() throws Exception {
    HttpResponse<String> response =
        service.send(
            HttpRequest.newBuilder(URI.create(service.url("/metrics")))
                .header("Accept", "application/openmetrics-text; version=1.0.0")
                .build());

    assertThat(response.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("application/openmetrics-text");
    assertThat(response.body()).endsWith("# EOF\n");
    assertThat(service.get("/metrics").headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("text/plain; version=0.0.4");
  }

  @Test
  void everyResponseCarriesARequestIdAndAWellFormedOneIsKept() throws Exception {
    HttpResponse<String> generated = service.get("/items/1");
    assertThat(generated.headers().firstValue("X-Request-Id"))
        .get()
        .asString()
        .matches("[0-9a-f]{32}");

    HttpResponse<String> kept =
        service.send(
            HttpRequest.newBuilder(URI.create(service.url("/items/1")))
                .header("X-Request-Id", "client-42.a:b_c")
                .build());
    assertThat(kept.headers().firstValue("X-Request-Id")).contains("client-42.a:b_c");

    HttpResponse<String> replaced =
        service.send(
            HttpRequest.newBuilder(URI.create(service.url("/items/1")))
                .header("X-Request-Id", "x".repeat(129))
                .build());
    assertThat(replaced.headers().firstValue("X-Request-Id"))
        .get()
        .asString()
        .matches("[0-9a-f]{32}");
  }

  @Test
  void anUnexpectedExceptionIsA500ProblemWithTheRequestIdAndNoInternals() throws Exception {
    HttpResponse<String> response =
        service.send(
            HttpRequest.newBuilder(URI.create(service.url("/boom")))
                .header("X-Request-Id", "trace-me-1")
                .build());

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("application/problem+json");
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("status").asInt()).isEqualTo(500);
    assertThat(problem.get("title").asText()).isEqualTo("Internal Server Error");
    assertThat(problem.get("request_id").asText()).isEqualTo("trace-me-1");
    assertThat(response.body())
        .doesNotContain("secret internal detail", "IllegalStateException", "at dev.vigil");
  }

  @Test
  void readinessFollowsChecksAndShutdownWhileLivenessStaysUp() throws Exception {
    var state = new java.util.concurrent.atomic.AtomicReference<>(HealthStatus.HEALTHY);
    service
        .telemetry
        .health()
        .register(
            "dependency",
            () -> {
              if (state.get() == HealthStatus.UNHEALTHY) {
                throw new IllegalStateException("connection refused");
              }
              return state.get();
            });
    assertThat(service.get("/readyz").statusCode()).isEqualTo(200);

    state.set(HealthStatus.DEGRADED);
    HttpResponse<String> degraded = service.get("/health/detailed");
    assertThat(degraded.statusCode()).as("degraded still serves").isEqualTo(200);
    assertThat(JSON.readTree(degraded.body()).get("status").asText()).isEqualTo("degraded");
    assertThat(service.get("/readyz").statusCode()).isEqualTo(200);

    state.set(HealthStatus.UNHEALTHY);
    HttpResponse<String> unhealthy = service.get("/health/detailed");
    assertThat(unhealthy.statusCode()).isEqualTo(503);
    JsonNode check = JSON.readTree(unhealthy.body()).get("checks").get("dependency");
    assertThat(check.get("status").asText()).isEqualTo("unhealthy");
    assertThat(check.get("error").asText()).isEqualTo("connection refused");
    assertThat(check.get("duration_seconds").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(service.get("/readyz").statusCode()).isEqualTo(503);
    assertThat(service.get("/healthz").statusCode())
        .as("liveness ignores dependencies")
        .isEqualTo(200);

    state.set(HealthStatus.HEALTHY);
    assertThat(service.get("/readyz").statusCode()).isEqualTo(200);
    service.telemetry.health().markShuttingDown();
    HttpResponse<String> shuttingDown = service.get("/readyz");
    assertThat(shuttingDown.statusCode()).isEqualTo(503);
    assertThat(shuttingDown.body()).contains("shutting down");
  }
}

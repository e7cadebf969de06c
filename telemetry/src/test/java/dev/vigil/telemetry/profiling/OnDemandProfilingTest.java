package dev.vigil.telemetry.profiling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.TelemetryPlugin;
import dev.vigil.telemetry.TelemetrySwitches;
import dev.vigil.telemetry.tracing.HttpServerTracing;
import dev.vigil.telemetry.tracing.Tracing;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.FlightRecorder;
import jdk.jfr.RecordingState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On-demand profiling of a service under load: a catalog-like product route is hammered while
 * {@code POST /admin/profile?seconds=5} records it. The summary must name the route's own method
 * among its top frames, its slowest requests must carry trace ids the client was given, and its
 * sample count must match what the JDK's {@code jfr summary} tool counts in the saved file.
 */
class OnDemandProfilingTest {

  @TempDir Path profiles;

  private final HttpClient http = HttpClient.newHttpClient();
  private Tracing tracing;
  private Javalin service;
  private Javalin admin;

  @BeforeEach
  void start() {
    tracing = Tracing.fromEnvironment("shop", Map.of());
    TelemetryPlugin telemetry =
        new TelemetryPlugin(TelemetrySwitches.parse("metrics,tracing")).tracing(tracing);
    service =
        Javalin.create(
                config -> {
                  config.startup.showJavalinBanner = false;
                  config.registerPlugin(telemetry);
                  config.routes.get(
                      "/api/products/{id}",
                      ctx -> ctx.result(ProductRanking.rank(ctx.pathParam("id"))));
                })
            .start("127.0.0.1", 0);
    ProfileRecorder recorder = new ProfileRecorder(profiles, "shop", List.of("dev.vigil."));
    admin =
        Javalin.create(
                config -> {
                  config.startup.showJavalinBanner = false;
                  config.routes.post("/admin/profile", new ProfileEndpoint(recorder));
                })
            .start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    admin.stop();
    service.stop();
    tracing.close();
  }

  @Test
  void aFiveSecondProfileUnderLoadNamesTheRequestPathsMethodAndTheSlowestTraces() throws Exception {
    Set<String> traceIds = ConcurrentHashMap.newKeySet();
    AtomicBoolean loading = new AtomicBoolean(true);
    List<Thread> load = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      load.add(Thread.ofPlatform().daemon().start(() -> hammer(loading, traceIds)));
    }
    try {
      CompletableFuture<HttpResponse<String>> profile = post(admin, "/admin/profile?seconds=5");
      awaitRunningRecording(Duration.ofSeconds(20));
      HttpResponse<String> second = post(admin, "/admin/profile?seconds=5").get();
      assertThat(second.statusCode())
          .as("a second profile while one runs must be refused, not queued nor run twice")
          .isEqualTo(409);
      assertThat(second.body()).contains("already being recorded");

      HttpResponse<String> response = profile.get();
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      String markdown = response.body();
      assertThat(response.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("text/markdown");

      String inclusive = section(markdown, "## Top application frames");
      assertThat(inclusive)
          .as("the request path's own method must be among the top frames:\n" + markdown)
          .contains(ProductRanking.class.getName() + ".rank");

      Path file = Path.of(response.headers().firstValue(ProfileEndpoint.FILE_HEADER).orElseThrow());
      assertThat(file).exists().startsWith(profiles);
      long samples = Long.parseLong(find(markdown, "(\\d+) samples \\(`jdk.ExecutionSample`\\)"));
      assertThat(samples)
          .as("CPU samples in the summary vs the JDK's jfr summary of the same file")
          .isEqualTo(jfrSummaryCount(file, "jdk.ExecutionSample"))
          .isPositive();

      String slowest = section(markdown, "## Slowest requests");
      Matcher ids = Pattern.compile("`([0-9a-f]{32})`").matcher(slowest);
      int found = 0;
      while (ids.find()) {
        assertThat(traceIds)
            .as("a slowest-request trace id the client never saw")
            .contains(ids.group(1));
        found++;
      }
      assertThat(found).as("slowest requests with trace ids:\n" + slowest).isPositive();
      assertThat(slowest).contains("/api/products/{id}");
    } finally {
      loading.set(false);
      for (Thread t : load) {
        t.join(10_000);
      }
    }
  }

  @Test
  void aProfileLengthOutOfBoundsOrUnknownSettingsIsRefusedWithTheFix() throws Exception {
    for (String query : List.of("seconds=0", "seconds=301", "seconds=half", "settings=fast")) {
      HttpResponse<String> response = post(admin, "/admin/profile?" + query).get();
      assertThat(response.statusCode()).as(query).isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type").orElseThrow())
          .isEqualTo("application/problem+json");
      assertThat(response.body()).containsAnyOf("from 1 to 300", "use default or profile");
    }
    try (var files = Files.list(profiles)) {
      assertThat(files).as("no recording for a refused request").isEmpty();
    }
  }

  private void hammer(AtomicBoolean loading, Set<String> traceIds) {
    int i = 0;
    while (loading.get()) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + service.port() + "/api/products/" + (i++ % 50)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        r.headers().firstValue(HttpServerTracing.TRACE_ID_HEADER).ifPresent(traceIds::add);
      } catch (Exception e) {
        return;
      }
    }
  }

  private CompletableFuture<HttpResponse<String>> post(Javalin server, String path) {
    return http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .POST(HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(60))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitRunningRecording(Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      boolean running =
          FlightRecorder.isInitialized()
              && FlightRecorder.getFlightRecorder().getRecordings().stream()
                  .anyMatch(
                      r ->
                          r.getName().startsWith("vigil-profile-")
                              && r.getState() == RecordingState.RUNNING);
      if (running) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no vigil profile recording started within " + timeout);
  }

  /** Counts events of one type with the JDK's own tool, independent of vigil's reader. */
  private static long jfrSummaryCount(Path file, String eventType) throws Exception {
    Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
    Process process =
        new ProcessBuilder(jfr.toString(), "summary", file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(out).isZero();
    return Long.parseLong(find(out, "(?m)^\\s*" + Pattern.quote(eventType) + "\\s+(\\d+)\\s"));
  }

  private static String section(String markdown, String heading) {
    int start = markdown.indexOf(heading);
    assertThat(start).as("no section " + heading + " in:\n" + markdown).isNotNegative();
    int end = markdown.indexOf("\n## ", start + heading.length());
    return end < 0 ? markdown.substring(start) : markdown.substring(start, end);
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new AssertionError("no match for " + regex + " in:\n" + text);
    }
    return m.group(1);
  }

  /** The product route's work: scores the catalogue against the requested id (CPU-bound). */
  static final class ProductRanking {
    static String rank(String id) {
      long seed = id.hashCode();
      double best = 0;
      double[] scores = new double[20_000];
      for (int i = 0; i < scores.length; i++) {
        seed = seed * 6364136223846793005L + 1442695040888963407L;
        scores[i] = Math.sqrt((seed >>> 11) * 0x1.0p-53) * Math.log1p(i);
      }
      java.util.Arrays.sort(scores);
      best = scores[scores.length - 1];
      return "{\"id\":\"" + id + "\",\"score\":" + best + "}";
    }
  }
}

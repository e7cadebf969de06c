package dev.vigil.bench.profiling;

import dev.vigil.telemetry.TelemetryPlugin;
import dev.vigil.telemetry.TelemetrySwitches;
import dev.vigil.telemetry.http.JsonBody;
import dev.vigil.telemetry.profiling.ProfileSettings;
import dev.vigil.telemetry.profiling.ServerSpanEvent;
import dev.vigil.telemetry.tracing.Tracing;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * What a running JDK Flight Recorder recording costs a service's throughput: the same catalog-like
 * service (Javalin on virtual threads, vigil's telemetry with metrics and tracing, {@code GET
 * /api/products/{id}} answered from a map as JSON) is driven over loopback HTTP/1.1 keep-alive by 4
 * client threads in the same JVM, with no recording, a recording with the JDK's {@code default}
 * settings, and one with its {@code profile} settings, as {@code vigil profile} records (plus
 * vigil's {@link ServerSpanEvent}). The three run side by side in one JMH run ({@code recording}
 * parameter); results in requests/s. The recording samples the client threads too: the figure is
 * the cost to the whole process.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(4)
public class JfrOverheadBenchmark {

  /** {@code none}, or the JFR settings of the running recording. */
  @Param({"none", "default", "profile"})
  public String recording;

  private Tracing tracing;
  private Javalin service;
  private Recording jfr;
  private HttpClient http;
  private URI[] products;

  /** Starts the service, and the recording unless {@code none}. */
  @Setup(Level.Trial)
  public void start() {
    tracing = Tracing.fromEnvironment("bench", Map.of());
    TelemetryPlugin telemetry =
        new TelemetryPlugin(TelemetrySwitches.parse("metrics,tracing")).tracing(tracing);
    Map<String, Map<String, Object>> catalogue = new ConcurrentHashMap<>();
    for (int id = 1; id <= 100; id++) {
      catalogue.put(
          Integer.toString(id),
          Map.of("id", id, "name", "product " + id, "price_cents", 100 * id, "stock", 7));
    }
    service =
        Javalin.create(
                config -> {
                  config.concurrency.useVirtualThreads = true;
                  config.startup.showJavalinBanner = false;
                  config.registerPlugin(telemetry);
                  config.routes.get(
                      "/api/products/{id}",
                      ctx -> {
                        Map<String, Object> product = catalogue.get(ctx.pathParam("id"));
                        ctx.contentType("application/json")
                            .result(JsonBody.mapper().writeValueAsBytes(product));
                      });
                })
            .start("127.0.0.1", 0);
    products = new URI[100];
    for (int id = 1; id <= 100; id++) {
      products[id - 1] = URI.create("http://127.0.0.1:" + service.port() + "/api/products/" + id);
    }
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    if (!recording.equals("none")) {
      jfr = new Recording(ProfileSettings.parse(recording).configuration());
      jfr.setName("bench-" + recording);
      jfr.enable(ServerSpanEvent.class);
      jfr.setToDisk(true);
      jfr.start();
    }
  }

  /** Stops the recording (discarding it), the client and the service. */
  @TearDown(Level.Trial)
  public void stop() {
    if (jfr != null) {
      jfr.stop();
      jfr.close();
    }
    http.close();
    service.stop();
    tracing.close();
  }

  /**
   * One request for a random product.
   *
   * @return the response body length (consumed by JMH)
   * @throws IOException when the request fails
   * @throws InterruptedException when interrupted
   */
  @Benchmark
  public int request() throws IOException, InterruptedException {
    URI uri = products[ThreadLocalRandom.current().nextInt(products.length)];
    HttpResponse<byte[]> response =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + uri + " answered " + response.statusCode());
    }
    return response.body().length;
  }
}

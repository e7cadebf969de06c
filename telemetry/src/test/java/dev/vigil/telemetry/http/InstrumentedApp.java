package dev.vigil.telemetry.http;

import dev.vigil.telemetry.Scrape;
import dev.vigil.telemetry.logging.AccessLog;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.JavalinState;
import io.javalin.plugin.Plugin;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A Javalin application with vigil's HTTP layer installed piece by piece (problem responses, RED
 * metrics into its own registry, optionally the access log into a list), on platform threads and a
 * random loopback port, for tests that need one layer without the others.
 */
final class InstrumentedApp implements AutoCloseable {

  final PrometheusRegistry registry = new PrometheusRegistry();
  final List<String> accessLogLines = new CopyOnWriteArrayList<>();
  private final Javalin app;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /**
   * @param withAccessLog whether the access log is on (metrics and problem responses always are)
   * @param routes the routes of the application
   */
  InstrumentedApp(boolean withAccessLog, Consumer<JavalinConfig> routes) {
    this(true, withAccessLog, routes);
  }

  /**
   * @param withMetrics whether RED metrics are on
   * @param withAccessLog whether the access log is on (problem responses always are)
   * @param routes the routes of the application
   */
  InstrumentedApp(boolean withMetrics, boolean withAccessLog, Consumer<JavalinConfig> routes) {
    HttpMetrics metrics = withMetrics ? new HttpMetrics(registry) : null;
    AccessLog accessLog =
        withAccessLog ? new AccessLog(line -> accessLogLines.add(line.toString())) : null;
    app =
        Javalin.create(
                config -> {
                  config.startup.showJavalinBanner = false;
                  config.jsonMapper(JsonBody.javalinMapper());
                  config.http.maxRequestSize = 4L * JsonBody.MAX_BYTES;
                  config.registerPlugin(
                      new Plugin<Void>() {
                        @Override
                        public void onInitialize(JavalinState state) {
                          ProblemResponses.install(state, metrics, accessLog);
                          HttpInstrumentation.install(
                              state, metrics, accessLog, null, Set.of("/healthz"));
                        }
                      });
                  routes.accept(config);
                })
            .start("127.0.0.1", 0);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + app.port() + path);
  }

  int port() {
    return app.port();
  }

  HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  /** The registry's samples as a scrape of /metrics would show them (Prometheus text format). */
  Scrape scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Scrape.parse(out.toString(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    app.stop();
    client.close();
  }
}

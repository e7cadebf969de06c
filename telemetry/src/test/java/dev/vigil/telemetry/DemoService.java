package dev.vigil.telemetry;

import dev.vigil.telemetry.http.JsonBody;
import dev.vigil.telemetry.http.ProblemException;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small Javalin service with the telemetry plugin, started on a random port for tests. */
public final class DemoService implements AutoCloseable {

  /** The request body accepted by {@code POST /items}. */
  record NewItem(String name, Integer quantity) {}

  public final TelemetryPlugin telemetry;
  final Javalin app;
  final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public DemoService(TelemetrySwitches switches) {
    telemetry = new TelemetryPlugin(switches);
    app =
        Javalin.create(
                config -> {
                  config.concurrency.useVirtualThreads = true;
                  config.startup.showJavalinBanner = false;
                  config.registerPlugin(telemetry);
                  config.routes.get(
                      "/items/{id}", ctx -> ctx.json(Map.of("id", ctx.pathParam("id"))));
                  config.routes.post(
                      "/items",
                      ctx -> {
                        NewItem item = JsonBody.read(ctx, NewItem.class);
                        if (item.quantity() == null || item.quantity() < 1) {
                          throw ProblemException.invalidField(
                              "quantity", "must be an integer >= 1");
                        }
                        ctx.status(201).json(item);
                      });
                  config.routes.get(
                      "/boom",
                      ctx -> {
                        throw new IllegalStateException("secret internal detail");
                      });
                })
            .start("127.0.0.1", 0);
  }

  public String url(String path) {
    return "http://127.0.0.1:" + app.port() + path;
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url(path))).GET().build());
  }

  public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  public Scrape scrape() throws IOException, InterruptedException {
    return Scrape.parse(get("/metrics").body());
  }

  @Override
  public void close() {
    app.stop();
    client.close();
  }
}

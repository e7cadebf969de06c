package dev.vigil.console;

import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.telemetry.TelemetryPlugin;
import dev.vigil.telemetry.TelemetrySwitches;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;

/**
 * The vigil console: a read-only web application over Prometheus, the SLO specs and the local alert
 * receiver's notifications. Pages are plain HTML, CSS and JavaScript from {@code /console} on the
 * class path; charts use uPlot from its webjar ({@code /webjars/uplot/<version>/dist/...}).
 *
 * <p>Routes: {@code /} home, {@code /slo.html?service=&slo=} one SLO, {@code /healthz}, {@code
 * /readyz} and {@code /metrics} (telemetry's plugin), and the JSON endpoints of {@link ConsoleApi}
 * under {@code /api}. Errors are RFC 9457 problem+json.
 */
public final class ConsoleServer implements AutoCloseable {

  private final Javalin app;

  private ConsoleServer(Javalin app) {
    this.app = app;
  }

  /**
   * Reads the SLO specs, binds and starts the console.
   *
   * @param config host, port, Prometheus, specs and notifications file
   * @return the running console; close it to stop
   * @throws IllegalArgumentException when the SLO specs have problems (each listed in the message)
   * @throws io.javalin.util.JavalinBindException when the port is taken
   */
  public static ConsoleServer start(ConsoleConfig config) {
    ConsoleApi api =
        new ConsoleApi(
            new PrometheusClient(config.prometheus()),
            SloSpecs.read(config.specs()),
            new NotificationFeed(config.notifications()));
    Javalin app =
        Javalin.create(
            javalin -> {
              javalin.startup.showJavalinBanner = false;
              // problem+json errors, /healthz, /readyz and /metrics of the console itself; no
              // access log (the pages poll)
              javalin.registerPlugin(
                  new TelemetryPlugin(new TelemetrySwitches(true, false, false)));
              javalin.staticFiles.add(
                  files -> {
                    files.hostedPath = "/";
                    files.directory = "/console";
                    files.location = Location.CLASSPATH;
                  });
              javalin.staticFiles.enableWebjars();
              javalin.routes.get("/api/overview", api::overview);
              javalin.routes.get("/api/slos/{service}/{slo}", api::slo);
              javalin.routes.get("/api/slos/{service}/{slo}/series", api::series);
            });
    app.start(config.host(), config.port());
    return new ConsoleServer(app);
  }

  /**
   * The port the console listens on (useful when started on port 0).
   *
   * @return the TCP port
   */
  public int port() {
    return app.port();
  }

  /** Stops the server. */
  @Override
  public void close() {
    app.stop();
  }
}

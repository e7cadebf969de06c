package dev.vigil.console;

import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.StackLayout;
import dev.vigil.telemetry.TelemetryPlugin;
import dev.vigil.telemetry.TelemetrySwitches;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The vigil console: a read-only web application over Prometheus, the SLO specs, the local alert
 * receiver's notifications, the services' error groups (admin APIs), their saved profiles and the
 * saved SLO backtests. Pages are plain HTML, CSS and JavaScript from {@code /console} on the class
 * path; charts use uPlot from its webjar ({@code /webjars/uplot/<version>/dist/...}).
 *
 * <p>Routes: {@code /} home, {@code /slo.html?service=&slo=} one SLO, {@code /dashboard.html?uid=}
 * one dashboard of the model both renderers share ({@link ConsoleDashboards}), {@code /errors.html}
 * the services' error groups ({@link ErrorGroups}), {@code /profiles.html} the saved JFR profiles
 * ({@link SavedProfiles}), {@code /backtests.html} the saved backtests ({@link SavedBacktests}),
 * {@code /api/annotations?range=&end=} the faults and drills in a range ({@link Annotations}),
 * {@code /healthz}, {@code /readyz} and {@code /metrics} (telemetry's plugin), and the JSON
 * endpoints of {@link ConsoleApi} under {@code /api}. Errors are RFC 9457 problem+json.
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
    PrometheusClient prometheus = new PrometheusClient(config.prometheus());
    SloSpecs specs = SloSpecs.read(config.specs());
    ConsoleApi api =
        new ConsoleApi(prometheus, specs, new NotificationFeed(config.notifications()));
    TraceLogs traceLogs = new TraceLogs(config.logs());
    String configJs;
    try {
      configJs =
          "window.vigilConfig = "
              + new com.fasterxml.jackson.databind.ObjectMapper()
                  .writeValueAsString(Map.of("zipkin", config.zipkin().toString()))
              + ";\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    AlertPages alerts =
        new AlertPages(
            prometheus,
            config.runbooks(),
            specs.all().isEmpty() ? "catalog" : specs.all().get(0).service());
    ConsoleDashboards dashboards = new ConsoleDashboards(specs.all(), prometheus);
    ErrorGroups errors =
        new ErrorGroups(config.adminApis(), new StackLayout(config.stateDir()).adminToken());
    SavedProfiles profiles = new SavedProfiles(config.stateDir().resolve("profiles"));
    Annotations annotations =
        new Annotations(prometheus, new StackLayout(config.stateDir()).drillReports());
    SavedBacktests backtests = new SavedBacktests(new StackLayout(config.stateDir()).backtests());
    // the assets' version: each start of the console invalidates what browsers kept
    ConsolePages pages = new ConsolePages(Long.toString(System.currentTimeMillis(), 36));
    Javalin app =
        Javalin.create(
            javalin -> {
              javalin.startup.showJavalinBanner = false;
              // problem+json errors, /healthz, /readyz and /metrics of the console itself; no
              // access log (the pages poll)
              javalin.registerPlugin(new TelemetryPlugin(TelemetrySwitches.metricsOnly()));
              // scripts and style sheets: kept by the browser, the pages address them by version;
              // the pages themselves are answered by ConsolePages, never cached
              javalin.staticFiles.add(
                  files -> {
                    files.hostedPath = "/";
                    files.directory = "/console";
                    files.location = Location.CLASSPATH;
                    files.headers = Map.of("Cache-Control", ConsolePages.ASSET_CACHE);
                    files.skipFileFunction =
                        request ->
                            request.getRequestURI().equals("/")
                                || request.getRequestURI().endsWith(".html");
                  });
              javalin.staticFiles.enableWebjars();
              javalin.routes.get("/", ctx -> pages.serve(ctx, "index.html"));
              for (String page : ConsolePages.PAGES) {
                javalin.routes.get("/" + page, ctx -> pages.serve(ctx, page));
              }
              javalin.routes.get("/api/overview", api::overview);
              javalin.routes.get("/api/slos/{service}/{slo}", api::slo);
              javalin.routes.get("/api/slos/{service}/{slo}/series", api::series);
              javalin.routes.get("/api/slos/{service}/{slo}/burndown", api::burndown);
              javalin.routes.get("/api/slos/{service}/{slo}/traffic", api::traffic);
              javalin.routes.get(
                  "/api/config.js",
                  ctx ->
                      ctx.header("Cache-Control", ConsolePages.ASSET_CACHE)
                          .contentType("text/javascript")
                          .result(configJs));
              javalin.routes.get(
                  "/api/traces/{id}/logs",
                  ctx -> ConsoleApi.json(ctx, traceLogs.of(ctx.pathParam("id"))));
              javalin.routes.get("/api/alerts", ctx -> ConsoleApi.json(ctx, alerts.list()));
              javalin.routes.get(
                  "/api/alerts/{name}/runbook",
                  ctx ->
                      ctx.contentType("text/html; charset=utf-8")
                          .result(alerts.runbookHtml(ctx.pathParam("name"))));
              javalin.routes.get(
                  "/api/alerts/{name}/graph",
                  ctx ->
                      ConsoleApi.json(
                          ctx,
                          alerts.graph(
                              ctx.pathParam("name"),
                              ruleLabels(ctx),
                              ConsoleApi.range(ctx),
                              ConsoleApi.end(ctx),
                              ConsoleApi.points(ctx))));
              javalin.routes.get("/api/errors", ctx -> ConsoleApi.json(ctx, errors.services()));
              javalin.routes.get("/api/profiles", ctx -> ConsoleApi.json(ctx, profiles.list()));
              javalin.routes.get(
                  "/api/profiles/{id}",
                  ctx -> ConsoleApi.json(ctx, profiles.summary(ctx.pathParam("id"))));
              javalin.routes.get("/api/backtests", ctx -> ConsoleApi.json(ctx, backtests.list()));
              javalin.routes.get(
                  "/api/backtests/{id}", ctx -> backtests.serve(ctx, ctx.pathParam("id")));
              javalin.routes.get("/api/dashboards", ctx -> ConsoleApi.json(ctx, dashboards.list()));
              javalin.routes.get(
                  "/api/dashboards/{uid}",
                  ctx -> ConsoleApi.json(ctx, dashboards.view(ctx.pathParam("uid"))));
              javalin.routes.get(
                  "/api/dashboards/{uid}/variables/{name}",
                  ctx ->
                      ConsoleApi.json(
                          ctx,
                          dashboards.variableValues(
                              ctx.pathParam("uid"), ctx.pathParam("name"), variables(ctx))));
              javalin.routes.get(
                  "/api/dashboards/{uid}/panels/{id}",
                  ctx ->
                      ConsoleApi.json(
                          ctx,
                          dashboards.panelData(
                              ctx.pathParam("uid"),
                              ctx.pathParamAsClass("id", Integer.class).get(),
                              ConsoleApi.range(ctx),
                              ConsoleApi.end(ctx),
                              ConsoleApi.points(ctx),
                              variables(ctx))));
              javalin.routes.get(
                  "/api/annotations",
                  ctx -> {
                    java.time.Instant end = ConsoleApi.end(ctx);
                    ConsoleApi.json(
                        ctx,
                        annotations.between(end.minusMillis(ConsoleApi.range(ctx).millis()), end));
                  });
            });
    app.start(config.host(), config.port());
    return new ConsoleServer(app);
  }

  /** The dashboard variables of a request: every {@code var-<name>} query parameter. */
  private static Map<String, List<String>> variables(Context ctx) {
    Map<String, List<String>> out = new HashMap<>();
    ctx.queryParamMap()
        .forEach(
            (k, v) -> {
              if (k.startsWith("var-")) {
                out.put(k.substring(4), v);
              }
            });
    return out;
  }

  /** The {@link AlertPages#KEY_LABELS} a request names, which pick one rule of an alert. */
  private static Map<String, String> ruleLabels(Context ctx) {
    Map<String, String> out = new HashMap<>();
    for (String k : AlertPages.KEY_LABELS) {
      String v = ctx.queryParam(k);
      if (v != null && !v.isEmpty()) {
        out.put(k, v);
      }
    }
    return out;
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

package dev.vigil.payments;

import dev.vigil.telemetry.TelemetryPlugin;
import dev.vigil.telemetry.admin.AdminServer;
import dev.vigil.telemetry.auth.BearerToken;
import dev.vigil.telemetry.errors.ErrorTracker;
import dev.vigil.telemetry.errors.ErrorsEndpoint;
import dev.vigil.telemetry.http.JsonBody;
import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import dev.vigil.telemetry.lifecycle.GracefulService;
import dev.vigil.telemetry.profiling.ProfileEndpoint;
import dev.vigil.telemetry.profiling.ProfileRecorder;
import dev.vigil.telemetry.tracing.Tracing;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running payment provider.
 *
 * <pre>
 * POST /api/payments      capture a payment (Idempotency-Key header required)
 * GET  /api/payments/by-key/{key}        the payment of an idempotency key
 * POST /api/payments/by-key/{key}/void   refund it, or forbid a later capture under the key
 * GET  /metrics, /healthz, /readyz, /health/detailed   from the telemetry plugin
 * </pre>
 *
 * With {@code VIGIL_PAYMENTS_TOKEN} set, every {@code /api/} call needs {@code Authorization:
 * Bearer <token>} (compared in constant time; 401 problem+json otherwise). Idempotency keys are
 * kept out of the access log ({@code path} reads {@code /api/payments/by-key/***}). With {@code
 * VIGIL_DATA_DIR} set, the ledger is durable ({@link Ledger#open}).
 *
 * <p>Faults ({@code payment_errors}, {@code payment_latency}, {@code payment_unreachable}) are set
 * through the admin API on its own port ({@link dev.vigil.telemetry.admin.AdminServer}, {@code
 * /admin/faults}, bearer token required, off without one). {@code /health/detailed} reports the
 * check {@code faults} as degraded while faults are injected.
 */
public final class PaymentsServer extends GracefulService {

  private static final Logger LOG = LoggerFactory.getLogger(PaymentsServer.class);

  private final TelemetryPlugin telemetry;
  private final Tracing tracing;
  private final Faults faults;
  private final Javalin app;
  private final Ledger ledger;
  private final AdminServer admin;

  private PaymentsServer(
      TelemetryPlugin telemetry,
      Tracing tracing,
      Faults faults,
      Ledger ledger,
      Javalin app,
      AdminServer admin) {
    this.admin = admin;
    this.ledger = ledger;
    this.telemetry = telemetry;
    this.tracing = tracing;
    this.faults = faults;
    this.app = app;
  }

  /**
   * Starts the provider.
   *
   * @param config host, port, initial faults, telemetry switches
   * @param env the environment for the {@code OTEL_*} variables, usually {@code System.getenv()}
   * @return the running server
   * @throws io.javalin.util.JavalinBindException when the port is taken
   */
  public static PaymentsServer start(PaymentsConfig config, Map<String, String> env) {
    Path file = config.ledgerFile();
    if (file == null) {
      LOG.warn(
          "payments ledger in memory only (VIGIL_DATA_DIR unset): a restart forgets every payment");
      return start(config, env, new Ledger());
    }
    Ledger ledger = Ledger.open(file);
    LOG.atInfo()
        .addKeyValue("ledger", file.toString())
        .addKeyValue("payments", ledger.payments().size())
        .log("payments ledger {} opened: {} payments", file, ledger.payments().size());
    try {
      return start(config, env, ledger);
    } catch (RuntimeException e) {
      ledger.close();
      throw e;
    }
  }

  /**
   * Starts the provider over an existing ledger: a provider restarted with its books (a real one
   * persists them), for drills and fault tests that stop and start it.
   *
   * @param config host, port, initial faults, telemetry switches
   * @param env the environment for the {@code OTEL_*} variables
   * @param ledger the payments it already holds
   * @return the running server
   * @throws io.javalin.util.JavalinBindException when the port is taken
   */
  public static PaymentsServer start(
      PaymentsConfig config, Map<String, String> env, Ledger ledger) {
    Tracing tracing =
        config.telemetry().tracing() ? Tracing.fromEnvironment("payments", env) : Tracing.off();
    TelemetryPlugin telemetry =
        new TelemetryPlugin(config.telemetry())
            .secretPathParameters("key")
            .tracing(tracing)
            .errorTracking(
                ErrorTracker.fromEnvironment(
                    "payments", PaymentsServer.class.getPackage().getImplementationVersion(), env));
    Faults faults = new Faults(config.faults(), telemetry.registry(), telemetry.errors());
    telemetry.health().register("faults", faults::health);
    PaymentApi payments = new PaymentApi(faults, ledger, telemetry.registry());
    BearerToken token = config.apiToken() == null ? null : new BearerToken(config.apiToken());
    if (token == null) {
      LOG.warn(
          "payment API open to anyone who reaches it: set "
              + PaymentsConfig.TOKEN_VARIABLE
              + " (and give the catalog the same value)");
    }
    AdminServer admin = null;
    try {
      admin =
          AdminServer.builder(config.admin())
              .faults(faults.registry())
              .endpoint(HandlerType.GET, "/admin/errors", new ErrorsEndpoint(telemetry.errors()))
              .endpoint(
                  HandlerType.POST,
                  "/admin/profile",
                  new ProfileEndpoint(ProfileRecorder.fromEnvironment("payments", env)))
              .build();
      Javalin app =
          Javalin.create(
              javalin -> {
                javalin.concurrency.useVirtualThreads = true;
                javalin.startup.showJavalinBanner = false;
                javalin.startup.startupWatcherEnabled = false;
                javalin.jsonMapper(JsonBody.javalinMapper());
                javalin.jetty.modifyServer(
                    server -> server.insertHandler(new UnreachableProvider(faults)));
                javalin.registerPlugin(telemetry);
                if (token != null) {
                  javalin.routes.before("/api/*", ctx -> authorise(ctx, token));
                }
                javalin.routes.post("/api/payments", payments::capture);
                javalin.routes.get("/api/payments/by-key/{key}", payments::find);
                javalin.routes.post("/api/payments/by-key/{key}/void", payments::voidKey);
              });
      app.start(config.host(), config.port());
      LOG.atInfo()
          .addKeyValue("url", "http://" + config.host() + ":" + app.port() + "/")
          .log(
              "payments listening on http://{}:{}/ (faults {})",
              config.host(),
              app.port(),
              config.faults());
      return new PaymentsServer(telemetry, tracing, faults, ledger, app, admin);
    } catch (RuntimeException e) {
      if (admin != null) {
        admin.close();
      }
      faults.close();
      tracing.close();
      throw e;
    }
  }

  private static void authorise(Context ctx, BearerToken token) {
    if (!token.accepts(ctx.header("Authorization"))) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new ProblemException(
          Problem.of(
              401,
              ctx.header("Authorization") == null
                  ? "the payment API needs Authorization: Bearer <token> (the provider's "
                      + PaymentsConfig.TOKEN_VARIABLE
                      + ")"
                  : "the bearer token is not accepted: send the provider's "
                      + PaymentsConfig.TOKEN_VARIABLE));
    }
  }

  /** The TCP port the server listens on. */
  public int port() {
    return app.port();
  }

  /** The admin API, which listens only when a token was configured. */
  public AdminServer admin() {
    return admin;
  }

  /** The injected faults, changeable at run time (also through the admin API). */
  public Faults faults() {
    return faults;
  }

  /** The provider's books: every payment by idempotency key. */
  public Ledger ledger() {
    return ledger;
  }

  /** The telemetry plugin of this server (registry and health checks). */
  public TelemetryPlugin telemetry() {
    return telemetry;
  }

  /** Stops: not ready at once, in-flight requests finish, buffered spans are exported. */
  @Override
  protected void shutdown() {
    telemetry.health().markShuttingDown();
    admin.close();
    app.stop();
    faults.close();
    telemetry.errors().close();
    tracing.close();
    ledger.close();
    LOG.info("payments stopped");
  }
}

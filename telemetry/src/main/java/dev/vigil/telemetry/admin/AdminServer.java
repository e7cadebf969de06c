package dev.vigil.telemetry.admin;

import dev.vigil.telemetry.auth.BearerToken;
import dev.vigil.telemetry.http.JsonBody;
import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import dev.vigil.telemetry.http.ProblemResponses;
import io.javalin.Javalin;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.plugin.Plugin;
import io.javalin.router.Endpoint;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's admin API: a Javalin server of its own, on its own port (loopback by default),
 * separate from the service's traffic (not counted in its RED metrics, not reachable through its
 * port), every endpoint behind one bearer token.
 *
 * <pre>
 * GET    /admin/faults            the active faults            (with {@link Builder#faults})
 * PUT    /admin/faults/{fault}    set one: {"target":"/api/products","params":{"ratio":0.5},"ttl":"10m"}
 * DELETE /admin/faults/{fault}    clear it (?target= for one target)
 * DELETE /admin/faults            clear all
 * ...                              whatever other features mount with {@link Builder#endpoint}
 * </pre>
 *
 * <p>Without a token ({@code VIGIL_ADMIN_TOKEN} unset or blank) nothing listens: the port is not
 * bound, and one INFO line says so. A request without {@code Authorization: Bearer <token>}, or
 * with another token, gets 401 problem+json with {@code WWW-Authenticate: Bearer}; tokens are
 * compared in constant time ({@link MessageDigest#isEqual}) and the scheme name in any case ({@code
 * bearer}, RFC 9110 section 11.1; {@link BearerToken}). Handlers learn who called from {@link
 * #who(Context)}: the token's name ({@code VIGIL_ADMIN_TOKEN_NAME}).
 */
public final class AdminServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  private static final String WHO = "vigil.admin.who";

  private final Javalin app;

  private AdminServer(Javalin app) {
    this.app = app;
  }

  /**
   * Starts building an admin server.
   *
   * @param config bind address, port, token and token name
   * @return a builder with no endpoints
   */
  public static Builder builder(AdminConfig config) {
    return new Builder(config);
  }

  /**
   * Who made this admin request: the name of the token it carried.
   *
   * @param ctx a request that passed the token check
   * @return the token name, e.g. {@code admin}
   */
  public static String who(Context ctx) {
    String who = ctx.attribute(WHO);
    return who == null ? "unknown" : who;
  }

  /** Whether the server listens (a token was configured). */
  public boolean running() {
    return app != null;
  }

  /**
   * The port it listens on.
   *
   * @return the TCP port, or -1 when it is off
   */
  public int port() {
    return app == null ? -1 : app.port();
  }

  /** Stops listening; nothing happens when it is off. */
  @Override
  public void close() {
    if (app != null) {
      app.stop();
    }
  }

  /** Builds and starts an {@link AdminServer}. */
  public static final class Builder {
    private final AdminConfig config;
    private final List<Endpoint> endpoints = new ArrayList<>();

    private Builder(AdminConfig config) {
      this.config = config;
    }

    /**
     * Mounts an endpoint behind the token check.
     *
     * @param method the HTTP method
     * @param path a Javalin path, e.g. {@code /admin/errors} or {@code /admin/faults/{fault}}
     * @param handler a plain handler; {@link AdminServer#who(Context)} names the caller
     * @return this builder
     */
    public Builder endpoint(HandlerType method, String path, Handler handler) {
      endpoints.add(new Endpoint(method, path, handler));
      return this;
    }

    /**
     * Mounts the fault endpoints ({@code /admin/faults}) over a registry.
     *
     * @param faults the service's faults
     * @return this builder
     */
    public Builder faults(FaultRegistry faults) {
      FaultEndpoints api = new FaultEndpoints(faults);
      endpoint(HandlerType.GET, "/admin/faults", api::list);
      endpoint(HandlerType.PUT, "/admin/faults/{fault}", api::set);
      endpoint(HandlerType.DELETE, "/admin/faults/{fault}", api::clear);
      endpoint(HandlerType.DELETE, "/admin/faults", api::clearAll);
      return this;
    }

    /**
     * Starts the server, or returns one that is off when no token is configured (logged once at
     * INFO: {@code admin API off: VIGIL_ADMIN_TOKEN unset}).
     *
     * @return the server
     * @throws io.javalin.util.JavalinBindException when the port is taken
     */
    public AdminServer build() {
      if (!config.enabled()) {
        LOG.info("admin API off: VIGIL_ADMIN_TOKEN unset");
        return new AdminServer(null);
      }
      BearerToken expected = new BearerToken(config.token());
      String who = config.tokenName();
      Javalin app =
          Javalin.create(
              javalin -> {
                javalin.concurrency.useVirtualThreads = true;
                javalin.startup.showJavalinBanner = false;
                javalin.startup.startupWatcherEnabled = false;
                javalin.jsonMapper(JsonBody.javalinMapper());
                javalin.http.maxRequestSize = JsonBody.MAX_BYTES;
                javalin.registerPlugin(new ProblemsOnly());
                javalin.routes.before(ctx -> authorise(ctx, expected, who));
                for (Endpoint e : endpoints) {
                  javalin.routes.addEndpoint(e);
                }
              });
      app.start(config.bind(), config.port());
      LOG.atInfo()
          .addKeyValue("url", "http://" + config.bind() + ":" + app.port() + "/admin")
          .addKeyValue("token_name", who)
          .log("admin API listening on http://{}:{}/admin", config.bind(), app.port());
      return new AdminServer(app);
    }

    /** problem+json for every error of the admin server, without RED metrics or access log. */
    private static final class ProblemsOnly extends Plugin<Void> {
      @Override
      public void onInitialize(JavalinState state) {
        ProblemResponses.install(state, null, null);
      }
    }

    private static void authorise(Context ctx, BearerToken expected, String who) {
      String header = ctx.header("Authorization");
      if (!expected.accepts(header)) {
        ctx.header("WWW-Authenticate", "Bearer");
        throw new ProblemException(
            Problem.of(
                401,
                header == null
                    ? "the admin API needs Authorization: Bearer <token> (the token of"
                        + " VIGIL_ADMIN_TOKEN; ./vigil up writes it to .vigil/admin-token)"
                    : "the bearer token is not accepted: send the service's VIGIL_ADMIN_TOKEN"));
      }
      ctx.attribute(WHO, who);
    }
  }
}

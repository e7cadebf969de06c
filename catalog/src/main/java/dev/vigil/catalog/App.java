package dev.vigil.catalog;

import dev.vigil.catalog.db.Database;
import dev.vigil.catalog.db.DatabaseUnavailableException;
import dev.vigil.catalog.fault.CatalogFaults;
import dev.vigil.catalog.order.OrderApi;
import dev.vigil.catalog.pipeline.PipelineApi;
import dev.vigil.catalog.product.ProductApi;
import dev.vigil.catalog.rum.RumBeacon;
import dev.vigil.catalog.shop.Storefront;
import dev.vigil.telemetry.TelemetryPlugin;
import dev.vigil.telemetry.http.JsonBody;
import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemResponses;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The catalog's HTTP application: its route table is its API.
 *
 * <pre>
 * GET  /                        service info and links
 * GET  /api/products            ?category=&amp;limit=&amp;offset=
 * GET  /api/products/{id}       through the product cache
 * POST /api/products            create
 * POST /api/orders              stock checked and decremented in one transaction
 * GET  /api/orders/{id}
 * GET  /data/process            ?records=N, the data pipeline
 * GET  /data/error              a deliberate 500
 * GET  /shop                    the storefront: product list
 * GET  /shop/products/{id}      the storefront: product page with an order button
 * GET  /shop/assets/{file}      the storefront's scripts
 * POST /rum/beacon              real-user monitoring samples from the storefront's pages
 * GET  /metrics, /healthz, /readyz, /health/detailed   from the telemetry plugin
 * </pre>
 */
public final class App {

  /**
   * Pending TCP connections the kernel queues before the server accepts them. The JVM default (50)
   * makes a burst of new connections (ab -c 100 without keep-alive) wait for a SYN retransmit, 1 s.
   */
  public static final int ACCEPT_QUEUE = 1024;

  /** A connection with nothing read or written for this long is closed (Jetty's idle timeout). */
  public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(20);

  /**
   * Longest time a client may take to send a request's line and headers, however slowly it trickles
   * them (a slowloris defeats an idle timeout by sending a byte every few seconds).
   */
  public static final Duration HEADER_DEADLINE = Duration.ofSeconds(20);

  /**
   * Bytes of the buffer Javalin copies a response body through (one per response): larger bodies
   * take several copies into Jetty's own pooled output buffer.
   */
  static final int RESPONSE_COPY_BUFFER = 2048;

  private App() {}

  /**
   * Builds the application (not started).
   *
   * @param telemetry the instrumentation plugin (metrics, health, logs, problem details)
   * @param products product handlers
   * @param orders order handlers
   * @param pipeline data pipeline handlers
   * @param storefront the storefront's pages
   * @param rum the real-user monitoring beacon
   * @param host interface to listen on, e.g. {@code 127.0.0.1}
   * @param port TCP port, 0 for any free port
   * @param shutdownGrace how long in-flight requests may run once the server stops
   * @param maxConcurrentRequests the bulkhead: requests in flight beyond this are answered 503 at
   *     once
   * @param faults the injected faults; their HTTP hook runs before every matched route
   * @param bodyDeadline longest time a client may take to send a request's body; a slower one is
   *     answered 408, and no bulkhead place is held while a body is read
   * @param maxConnectionsPerClient connections open at once from one IP address (more are closed as
   *     they open), 0 for no limit
   * @return the Javalin application, on virtual threads; start it with {@code start()}
   */
  public static Javalin create(
      TelemetryPlugin telemetry,
      ProductApi products,
      OrderApi orders,
      PipelineApi pipeline,
      Storefront storefront,
      RumBeacon rum,
      String host,
      int port,
      Duration shutdownGrace,
      int maxConcurrentRequests,
      CatalogFaults faults,
      Duration bodyDeadline,
      int maxConnectionsPerClient) {
    byte[] info = serviceInfo();
    return Javalin.create(
        config -> {
          config.concurrency.useVirtualThreads = true;
          config.startup.showJavalinBanner = false;
          config.startup.startupWatcherEnabled = false;
          config.jsonMapper(JsonBody.javalinMapper());
          // Javalin copies every result stream into the response through a buffer of this size,
          // allocated per response; its default (Jetty's 32 KiB output buffer) made that copy 2/3
          // of the bytes a request allocated, for JSON bodies of a few hundred bytes
          config.http.responseBufferSize = RESPONSE_COPY_BUFFER;
          config.jetty.addConnector(
              (server, http) -> {
                ServerConnector connector =
                    new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(host);
                connector.setPort(port);
                connector.setAcceptQueueSize(ACCEPT_QUEUE);
                connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
                connector.addBean(new SlowClientGuard(HEADER_DEADLINE, telemetry.errors()));
                if (maxConnectionsPerClient > 0) {
                  connector.addBean(
                      new ConnectionsPerClient(maxConnectionsPerClient, telemetry.registry()));
                }
                return connector;
              });
          config.jetty.modifyServer(
              server -> {
                server.insertHandler(
                    new LoadShedding(maxConcurrentRequests, TelemetryPlugin.UNTRACED_PATHS));
                // outside the bulkhead: a body is read before the request takes a place
                server.insertHandler(new BodyDeadline(bodyDeadline, (int) JsonBody.MAX_BYTES));
                server.insertHandler(new GracefulHandler());
                server.setStopTimeout(shutdownGrace.toMillis());
              });
          config.registerPlugin(telemetry);
          // An Error thrown by a handler (a StackOverflowError, a LinkageError...) never reaches an
          // exception handler: Javalin answers it 500 with an empty body and logs it only as its
          // own "Fatal error". As an exception it is answered like any unexpected failure: 500
          // problem+json with the request id, logged at ERROR and counted by the error tracker.
          config.router.handlerWrapper(
              endpoint ->
                  ctx -> {
                    try {
                      endpoint.handler.handle(ctx);
                    } catch (Error e) {
                      throw new HandlerError(endpoint.method + " " + endpoint.path, e);
                    }
                  });

          config.routes.exception(
              DatabaseUnavailableException.class,
              (e, ctx) -> {
                ctx.header("Retry-After", Long.toString(e.retryAfter().toSeconds()));
                ProblemResponses.write(ctx, Problem.of(503, e.getMessage()));
              });
          config.routes.exception(
              SQLException.class,
              (e, ctx) -> {
                if (!Database.isConnectionFailure(e)) {
                  ProblemResponses.writeUnexpected(ctx, e);
                  return;
                }
                ctx.header("Retry-After", "1");
                ProblemResponses.write(
                    ctx,
                    Problem.of(
                        503,
                        "the database connection failed (SQLState "
                            + e.getSQLState()
                            + ") while handling this request: retry in 1 s"));
              });

          config.routes.beforeMatched(faults::beforeRequest);
          config.routes.get("/", ctx -> json(ctx, info));
          config.routes.get("/api/products", products::list);
          config.routes.get("/api/products/{id}", products::get);
          config.routes.post("/api/products", products::create);
          config.routes.post("/api/orders", orders::place);
          config.routes.get("/api/orders/{id}", orders::get);
          config.routes.get("/data/process", pipeline::process);
          config.routes.get("/data/error", pipeline::fail);
          config.routes.get("/shop", storefront::products);
          config.routes.get("/shop/products/{id}", storefront::product);
          config.routes.get("/shop/assets/{file}", storefront::asset);
          config.routes.post("/rum/beacon", rum::receive);
        });
  }

  private static void json(Context ctx, byte[] body) {
    ctx.contentType("application/json").result(body);
  }

  private static byte[] serviceInfo() {
    String version = App.class.getPackage().getImplementationVersion();
    return ("{\"service\":\"catalog\",\"version\":\""
            + (version == null ? "dev" : version)
            + "\","
            + "\"links\":{\"products\":\"/api/products\",\"orders\":\"/api/orders\","
            + "\"pipeline\":\"/data/process?records=100\",\"shop\":\"/shop\",\"metrics\":\"/metrics\",\"liveness\":\"/healthz\","
            + "\"readiness\":\"/readyz\",\"health\":\"/health/detailed\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }
}

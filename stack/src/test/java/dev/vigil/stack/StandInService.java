package dev.vigil.stack;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny stand-in for the catalog, run as the stack's catalog and payments processes by the stack
 * tests and the drills' LocalStackTest: listens on $VIGIL_HOST:$VIGIL_PORT like the real one and
 * answers /readyz, /healthz and /metrics (one counter).
 */
public final class StandInService {

  private StandInService() {}

  /**
   * Serves until killed.
   *
   * @param args unused
   * @throws IOException when the port cannot be bound
   */
  public static void main(String[] args) throws IOException {
    AtomicLong scrapes = new AtomicLong();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(System.getenv("VIGIL_HOST"), port()), 16);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          String body =
              switch (path) {
                case "/readyz", "/healthz" -> "ok\n";
                case "/metrics" ->
                    "# TYPE standin_scrapes_total counter\nstandin_scrapes_total "
                        + scrapes.incrementAndGet()
                        + "\n";
                default -> null;
              };
          byte[] bytes = (body == null ? "not found\n" : body).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  /**
   * The catalog's VIGIL_PORT, or the payment provider's VIGIL_PAYMENTS_PORT when it stands in for
   * that.
   */
  private static int port() {
    String port = System.getenv("VIGIL_PORT");
    return Integer.parseInt(port != null ? port : System.getenv("VIGIL_PAYMENTS_PORT"));
  }
}

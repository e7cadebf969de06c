package dev.vigil.stack;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.stack.command.ReceiverCommand;
import dev.vigil.stack.process.ServiceProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny stand-in for the catalog, run as the stack's catalog and payments processes by the stack
 * tests and the drills' LocalStackTest: listens on $VIGIL_HOST:$VIGIL_PORT like the real one and
 * answers /readyz, /healthz and /metrics (one counter). With $VIGIL_ADMIN_TOKEN it also serves an
 * admin API on 127.0.0.1:$VIGIL_ADMIN_PORT like the real services: {@code GET /admin/faults}
 * answers {@code {"faults":[]}} to the right bearer token and 401 to anything else.
 */
public final class StandInService {

  private StandInService() {}

  /**
   * The command lines of a stack whose catalog and payments are this stand-in, with vigil's real
   * alert receiver and no trace backend.
   *
   * @return the commands for {@link LocalStack#up}
   */
  public static ServiceCommands commands() {
    return new ServiceCommands(
        ServiceProcess.javaCommand(StandInService.class.getName()),
        ServiceProcess.javaCommand(StandInService.class.getName()),
        ServiceProcess.javaCommand(ReceiverCommand.class.getName()),
        List.of());
  }

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
    String token = System.getenv("VIGIL_ADMIN_TOKEN");
    if (token != null && !token.isBlank()) {
      HttpServer admin =
          HttpServer.create(
              new InetSocketAddress(
                  "127.0.0.1", Integer.parseInt(System.getenv("VIGIL_ADMIN_PORT"))),
              16);
      admin.createContext(
          "/admin/faults",
          exchange -> {
            boolean authorised =
                ("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] bytes =
                (authorised ? "{\"faults\":[]}" : "{\"status\":401}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(authorised ? 200 : 401, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
          });
      admin.start();
    }
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

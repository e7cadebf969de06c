package dev.vigil.bench.load;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A tiny HTTP server on a random loopback port for the load-generator tests: 200 with a small JSON
 * body on every path except {@code /missing} (404); remembers each distinct request (method, path
 * and query, body) it received.
 */
final class LocalServer implements AutoCloseable {

  private final HttpServer server;
  private final Set<String> requestLines = ConcurrentHashMap.newKeySet();

  LocalServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(
        "/",
        exchange -> {
          String requestBody =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requestLines.add(
              (exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + requestBody)
                  .strip());
          byte[] body = "{\"id\":42}".getBytes(StandardCharsets.UTF_8);
          int status = exchange.getRequestURI().getPath().equals("/missing") ? 404 : 200;
          exchange.sendResponseHeaders(status, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  Set<String> requestLines() {
    return requestLines;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

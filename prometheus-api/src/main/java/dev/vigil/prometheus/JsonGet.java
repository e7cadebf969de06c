package dev.vigil.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GETs JSON from one HTTP API (Prometheus or Alertmanager), with bounded waits and errors that name
 * the server, the URL and what to do.
 */
final class JsonGet {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A range query over 30 days may take a while; nothing vigil asks takes longer. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final String base;
  private final String server;

  /**
   * @param base e.g. {@code http://127.0.0.1:9090}; a trailing slash is dropped
   * @param server the server's name in messages, e.g. {@code Prometheus}
   */
  JsonGet(URI base, String server) {
    String s = base.toString();
    this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    this.server = server;
  }

  /** The base URL, without a trailing slash. */
  String base() {
    return base;
  }

  /**
   * GETs a path and parses the body.
   *
   * @param pathAndQuery e.g. {@code /api/v2/alerts}, query parameters already encoded
   * @return the parsed body
   * @throws IOException when the server is unreachable, answers other than 200, or not with JSON
   */
  JsonNode get(String pathAndQuery) throws IOException {
    HttpResponse<String> response = send(pathAndQuery);
    if (response.statusCode() != 200) {
      throw new IOException(
          server
              + " at "
              + base
              + " answered HTTP "
              + response.statusCode()
              + " to GET "
              + pathAndQuery);
    }
    return parse(response);
  }

  /**
   * GETs a path of Prometheus' API v1 and unwraps its envelope ({@code
   * {"status":"success","data":...}}).
   *
   * @param pathAndQuery e.g. {@code /api/v1/alerts}
   * @return the {@code data} member
   * @throws IOException when the server is unreachable, answers without JSON, or rejects the
   *     request (its {@code error} message included)
   */
  JsonNode getData(String pathAndQuery) throws IOException {
    HttpResponse<String> response = send(pathAndQuery);
    JsonNode body = parse(response);
    if (!body.path("status").asText().equals("success")) {
      throw new IOException(
          server
              + " at "
              + base
              + " rejected the request: "
              + body.path("error").asText("HTTP " + response.statusCode()));
    }
    return body.path("data");
  }

  /** A JSON object's members as strings, in order (labels, annotations). */
  static Map<String, String> strings(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private HttpResponse<String> send(String pathAndQuery) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(REQUEST_TIMEOUT)
            .GET()
            .build();
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking " + server + " at " + base, e);
    } catch (IOException e) {
      throw new IOException(
          "cannot reach "
              + server
              + " at "
              + base
              + " ("
              + e.getClass().getSimpleName()
              + "): is it running? Start the stack with ./vigil up",
          e);
    }
  }

  private JsonNode parse(HttpResponse<String> response) throws IOException {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IOException(
          server
              + " at "
              + base
              + " answered HTTP "
              + response.statusCode()
              + " with a body that is not JSON",
          e);
    }
  }
}

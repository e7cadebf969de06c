package dev.vigil.catalog;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Speaks HTTP to a catalog on a port, as a user would. */
public final class CatalogClient implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");

  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /**
   * @param port the catalog's port on 127.0.0.1
   */
  public CatalogClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** GET a path. */
  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** POST a JSON body to a path. */
  public HttpResponse<String> postJson(String path, String json)
      throws IOException, InterruptedException {
    return send(path, "POST", "application/json", json);
  }

  /** Sends any method with a body and content type. */
  public HttpResponse<String> send(String path, String method, String contentType, String body)
      throws IOException, InterruptedException {
    return send(path, method, contentType, body, "*/*");
  }

  /** Sends any method with a body, content type and Accept header. */
  public HttpResponse<String> send(
      String path, String method, String contentType, String body, String accept)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", contentType)
            .header("Accept", accept)
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends any method with a body, content type, Accept header and one more header. */
  public HttpResponse<String> send(
      String path,
      String method,
      String contentType,
      String body,
      String accept,
      String header,
      String value)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", contentType)
            .header("Accept", accept)
            .header(header, value)
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Parses a JSON response body. */
  public static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  /**
   * The value of one sample of {@code /metrics}, 0 when absent.
   *
   * @param name sample name, e.g. {@code cache_hits_total}
   * @param labels alternating label names and values, exactly the sample's labels
   */
  public double metric(String name, String... labels) throws IOException, InterruptedException {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    for (String line : get("/metrics").body().split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (line.startsWith("#") || !m.matches() || !m.group(1).equals(name)) {
        continue;
      }
      Map<String, String> found = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher l = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"").matcher(m.group(3));
        while (l.find()) {
          found.put(l.group(1), l.group(2));
        }
      }
      if (found.equals(wanted)) {
        return Double.parseDouble(m.group(4));
      }
    }
    return 0;
  }

  /**
   * The sum of every sample of {@code /metrics} with this name, whatever its labels.
   *
   * @param name sample name, e.g. {@code db_errors_total}
   */
  public double metricSum(String name) throws IOException, InterruptedException {
    double sum = 0;
    for (String line : get("/metrics").body().split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!line.startsWith("#") && m.matches() && m.group(1).equals(name)) {
        sum += Double.parseDouble(m.group(4));
      }
    }
    return sum;
  }

  @Override
  public void close() {
    http.close();
  }
}

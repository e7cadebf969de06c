package dev.vigil.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The one client of a service's admin API (faults, error groups, profiles: whatever telemetry's
 * admin server mounts), behind {@code Authorization: Bearer <token>}. What {@code vigil fault},
 * {@code vigil profile}, the drills and the console's errors page use.
 *
 * <pre>{@code
 * AdminClient catalog = StackAdmin.read(Path.of(".vigil")).client("catalog");
 * AdminClient.Answer answer = catalog.get("/admin/faults");
 * if (!answer.ok()) throw new IllegalStateException(answer.detail());
 * JsonNode faults = answer.json().path("faults");
 * }</pre>
 *
 * <p>Every request has a connect timeout of {@link #CONNECT_TIMEOUT} and an answer timeout ({@link
 * #TIMEOUT} unless given). Any HTTP status comes back as an {@link Answer}; only a service that
 * cannot be reached (or does not answer in time) is an {@link IOException}.
 */
public final class AdminClient {

  /** How long connecting to an admin port may take. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** How long an admin API may take to answer, unless a call site needs longer. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(CONNECT_TIMEOUT)
          .build();

  private final URI base;
  private final String token;
  private final Duration timeout;

  /**
   * A client with the default answer timeout, {@link #TIMEOUT}.
   *
   * @param base the admin API's base URL, e.g. {@code http://127.0.0.1:8010} (a trailing slash is
   *     ignored)
   * @param token the bearer token (never printed)
   */
  public AdminClient(URI base, String token) {
    this(base, token, TIMEOUT);
  }

  /**
   * @param base the admin API's base URL, e.g. {@code http://127.0.0.1:8010}
   * @param token the bearer token (never printed)
   * @param timeout how long one answer may take, e.g. a profile's recording time plus a minute
   */
  public AdminClient(URI base, String token, Duration timeout) {
    this.base = URI.create(base.toString().replaceAll("/+$", ""));
    this.token = token;
    this.timeout = timeout;
  }

  /**
   * Finds the admin token, always in this order: the token given explicitly (an option such as
   * {@code --token} or the content of {@code --admin-token-file}); else the local stack's token
   * file, when talking to the local stack and the file exists and is not empty; else the
   * environment variable {@value StackAdmin#TOKEN_VARIABLE}. The stack's file comes before the
   * variable because {@code ./vigil up} writes a fresh token there for the services it starts; it
   * is never consulted for another deployment, so its token never leaves the machine.
   *
   * @param given the explicit token, if the user gave one
   * @param localStackTokenFile the local stack's token file ({@link StackLayout#adminToken()}) when
   *     the admin API is the local stack's, else empty
   * @param env the environment, normally {@link System#getenv()}
   * @return the token, or empty when none of the three holds one
   */
  public static Optional<String> token(
      Optional<String> given, Optional<Path> localStackTokenFile, Map<String, String> env) {
    Optional<String> explicit = given.map(String::strip).filter(t -> !t.isEmpty());
    if (explicit.isPresent()) {
      return explicit;
    }
    if (localStackTokenFile.isPresent()) {
      try {
        String fromFile =
            Files.readString(localStackTokenFile.get(), StandardCharsets.UTF_8).strip();
        if (!fromFile.isEmpty()) {
          return Optional.of(fromFile);
        }
      } catch (IOException missingOrUnreadable) {
        // the stack was not started, or by another user: try the environment
      }
    }
    return Optional.ofNullable(env.get(StackAdmin.TOKEN_VARIABLE))
        .map(String::strip)
        .filter(t -> !t.isEmpty());
  }

  /**
   * The base URL this client talks to.
   *
   * @return e.g. {@code http://127.0.0.1:8010}, without a trailing slash
   */
  public URI base() {
    return base;
  }

  /**
   * {@code GET path}.
   *
   * @param path the path and query, e.g. {@code /admin/errors}
   * @return the answer, whatever its status
   * @throws IOException when the service cannot be reached or does not answer in time
   */
  public Answer get(String path) throws IOException {
    return send("GET", path, HttpRequest.BodyPublishers.noBody());
  }

  /**
   * {@code PUT path} with a JSON body.
   *
   * @param path e.g. {@code /admin/faults/http_errors}
   * @param body the JSON document to send
   * @return the answer, whatever its status
   * @throws IOException when the service cannot be reached or does not answer in time
   */
  public Answer put(String path, JsonNode body) throws IOException {
    return send("PUT", path, HttpRequest.BodyPublishers.ofString(body.toString()));
  }

  /**
   * {@code POST path} without a body.
   *
   * @param path e.g. {@code /admin/profile?seconds=30}
   * @return the answer, whatever its status
   * @throws IOException when the service cannot be reached or does not answer in time
   */
  public Answer post(String path) throws IOException {
    return send("POST", path, HttpRequest.BodyPublishers.noBody());
  }

  /**
   * {@code DELETE path}.
   *
   * @param path e.g. {@code /admin/faults/http_errors?target=%2Fapi%2Forders}
   * @return the answer, whatever its status
   * @throws IOException when the service cannot be reached or does not answer in time
   */
  public Answer delete(String path) throws IOException {
    return send("DELETE", path, HttpRequest.BodyPublishers.noBody());
  }

  /**
   * Encodes one path segment or query value, spaces as {@code %20}.
   *
   * @param value e.g. a route template {@code /api/products/{id}}
   * @return the encoded value
   */
  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private Answer send(String method, String path, HttpRequest.BodyPublisher body)
      throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .timeout(timeout)
            .method(method, body)
            .build();
    try {
      HttpResponse<String> response =
          HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(response.statusCode(), response.body(), response.headers());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while asking " + base + path);
    }
  }

  @Override
  public String toString() {
    return "AdminClient[" + base + ", token=***]";
  }

  /**
   * One answer of an admin API.
   *
   * @param status the HTTP status
   * @param body the body as text, possibly empty
   * @param headers the response headers
   */
  public record Answer(int status, String body, HttpHeaders headers) {

    /**
     * Whether the service did what was asked.
     *
     * @return true for a 2xx status
     */
    public boolean ok() {
      return status / 100 == 2;
    }

    /**
     * The body as JSON.
     *
     * @return the document, an empty object for an empty body
     * @throws IOException when the body is not JSON
     */
    public JsonNode json() throws IOException {
      return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    }

    /**
     * What went wrong, in the service's words: the {@code detail} of an RFC 9457 problem, else the
     * body as it came.
     *
     * @return the detail, possibly empty
     */
    public String detail() {
      try {
        JsonNode problem = JSON.readTree(body);
        if (problem != null && problem.hasNonNull("detail")) {
          return problem.get("detail").asText();
        }
      } catch (IOException notJson) {
        // not problem+json: the body as it came
      }
      return body;
    }
  }
}

package dev.vigil.telemetry.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.telemetry.TelemetrySwitches;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProblemResponsesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static dev.vigil.telemetry.DemoService service;

  @BeforeAll
  static void start() {
    service = new dev.vigil.telemetry.DemoService(TelemetrySwitches.all());
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @Test
  void anUnknownPathIsA404Problem() throws Exception {
    assertProblem(service.get("/nonexistent"), 404, "Not Found");
  }

  @Test
  void aWrongMethodOnAKnownPathIsA405ProblemListingTheAllowedMethods() throws Exception {
    HttpResponse<String> response =
        service.send(request("/items", "PUT", "application/json", "{}"));
    JsonNode problem = assertProblem(response, 405, "Method Not Allowed");
    assertThat(problem.get("allowed").asText()).isEqualTo("POST");
    assertThat(response.headers().firstValue("Allow")).contains("POST");
  }

  @Test
  void malformedJsonIsA400ProblemWithItsPosition() throws Exception {
    JsonNode problem =
        assertProblem(
            service.send(request("/items", "POST", "application/json", "{\"name\": ")),
            400,
            "Bad Request");
    assertThat(problem.get("detail").asText()).contains("malformed JSON at line 1");
  }

  @Test
  void aBodyOverOneMebibyteIsA413Problem() throws Exception {
    String big = "{\"name\":\"" + "x".repeat(1024 * 1024) + "\"}";
    assertProblem(
        service.send(request("/items", "POST", "application/json", big)), 413, "Content Too Large");
  }

  @Test
  void aNonJsonContentTypeIsA415Problem() throws Exception {
    JsonNode problem =
        assertProblem(
            service.send(request("/items", "POST", "text/plain", "name=x")),
            415,
            "Unsupported Media Type");
    assertThat(problem.get("detail").asText()).contains("application/json");
  }

  @Test
  void anInvalidFieldIsA422ProblemNamingIt() throws Exception {
    JsonNode wrongType =
        assertProblem(
            service.send(
                request(
                    "/items",
                    "POST",
                    "application/json",
                    "{\"name\":\"x\",\"quantity\":\"many\"}")),
            422,
            "Unprocessable Content");
    assertThat(wrongType.get("field").asText()).isEqualTo("quantity");

    JsonNode outOfRange =
        assertProblem(
            service.send(
                request("/items", "POST", "application/json", "{\"name\":\"x\",\"quantity\":0}")),
            422,
            "Unprocessable Content");
    assertThat(outOfRange.get("field").asText()).isEqualTo("quantity");
    assertThat(outOfRange.get("detail").asText()).isEqualTo("quantity must be an integer >= 1");

    JsonNode unknown =
        assertProblem(
            service.send(
                request(
                    "/items",
                    "POST",
                    "application/json",
                    "{\"name\":\"x\",\"quantity\":1,\"colour\":\"red\"}")),
            422,
            "Unprocessable Content");
    assertThat(unknown.get("field").asText()).isEqualTo("colour");
  }

  @Test
  void aValidBodyPasses() throws Exception {
    HttpResponse<String> response =
        service.send(
            request(
                "/items",
                "POST",
                "application/json; charset=utf-8",
                "{\"name\":\"x\",\"quantity\":2}"));
    assertThat(response.statusCode()).isEqualTo(201);
  }

  @Test
  void requestsRejectedBeforeRoutingAreProblemsToo() throws Exception {
    String badUri = raw("GET /items/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertThat(badUri)
        .startsWith("HTTP/1.1 400")
        .contains("Content-Type: application/problem+json")
        .contains("\"status\":400");

    String hugeHeader =
        raw(
            "GET /items/1 HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
    assertThat(hugeHeader)
        .startsWith("HTTP/1.1 431")
        .contains("Content-Type: application/problem+json")
        .contains("\"status\":431");
  }

  /** Sends bytes no well-behaved client would send and returns the raw response. */
  private static String raw(String request) throws Exception {
    int port = java.net.URI.create(service.url("/")).getPort();
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket
          .getOutputStream()
          .write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(
          socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  private static HttpRequest request(String path, String method, String contentType, String body) {
    return HttpRequest.newBuilder(URI.create(service.url(path)))
        .header("Content-Type", contentType)
        .method(method, HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static JsonNode assertProblem(HttpResponse<String> response, int status, String title)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("application/problem+json");
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("type").asText()).isEqualTo("about:blank");
    assertThat(problem.get("title").asText()).isEqualTo(title);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("detail").asText()).isNotBlank();
    assertThat(problem.get("request_id").asText()).matches("[0-9a-f]{32}");
    return problem;
  }
}

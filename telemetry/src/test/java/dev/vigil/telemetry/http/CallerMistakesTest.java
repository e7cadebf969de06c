package dev.vigil.telemetry.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.ForbiddenResponse;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a caller sees for each kind of mistake, over real HTTP: an RFC 9457 problem (status, the RFC
 * 9110 reason phrase as title, a detail saying what to fix, the offending field). The expected
 * statuses and titles are RFC 9110 section 15's; the field paths are written by hand from the
 * bodies sent.
 */
class CallerMistakesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A request body with a nested list, so that field paths have names and indexes. */
  record Order(String customer, List<Line> lines) {}

  /** One line of an {@link Order}. */
  record Line(Integer quantity) {}

  private static InstrumentedApp app;

  @BeforeAll
  static void start() {
    app =
        new InstrumentedApp(
            false,
            config -> {
              config.routes.post(
                  "/orders", ctx -> ctx.status(201).json(JsonBody.read(ctx, Order.class)));
              // reads the body as text in the request's charset, which Jetty parses
              config.routes.post("/notes", ctx -> ctx.result(ctx.body()));
              config.routes.get(
                  "/products",
                  ctx ->
                      ctx.json(Map.of("limit", RequestParams.queryInt(ctx, "limit", 20, 1, 100))));
              config.routes.get(
                  "/products/{id}", ctx -> ctx.json(Map.of("id", RequestParams.pathId(ctx, "id"))));
              config.routes.get(
                  "/search",
                  ctx ->
                      ctx.json(Map.of("page", ctx.queryParamAsClass("page", Integer.class).get())));
              config.routes.get(
                  "/gone",
                  ctx -> {
                    throw ProblemException.notFound("product 7 does not exist: list /products");
                  });
              config.routes.get(
                  "/taken",
                  ctx -> {
                    throw ProblemException.conflict("only 2 left: order at most 2");
                  });
              config.routes.get(
                  "/forbidden",
                  ctx -> {
                    throw new ForbiddenResponse("members only");
                  });
            });
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void aQueryParameterOutsideItsRangeOrNotANumberIsA422NamingItAndItsRange() throws Exception {
    assertThat(body(app.get("/products"), 200).get("limit").asInt())
        .as("absent: the default")
        .isEqualTo(20);
    assertThat(body(app.get("/products?limit="), 200).get("limit").asInt())
        .as("empty: the default")
        .isEqualTo(20);
    assertThat(body(app.get("/products?limit=1"), 200).get("limit").asInt())
        .as("the lowest accepted")
        .isEqualTo(1);
    assertThat(body(app.get("/products?limit=100"), 200).get("limit").asInt())
        .as("the highest accepted")
        .isEqualTo(100);
    for (String bad : List.of("0", "101", "ten", "-5")) {
      JsonNode problem = problem(app.get("/products?limit=" + bad), 422, "Unprocessable Content");
      assertThat(problem.get("field").asText()).isEqualTo("limit");
      assertThat(problem.get("detail").asText())
          .isEqualTo("limit must be an integer from 1 to 100");
    }
  }

  @Test
  void aPathIdThatIsNotAPositiveIntegerIsA422NamingIt() throws Exception {
    assertThat(body(app.get("/products/1"), 200).get("id").asLong()).isEqualTo(1);
    assertThat(body(app.get("/products/9000000000"), 200).get("id").asLong())
        .isEqualTo(9_000_000_000L);
    for (String bad : List.of("0", "-1", "abc")) {
      JsonNode problem = problem(app.get("/products/" + bad), 422, "Unprocessable Content");
      assertThat(problem.get("field").asText()).isEqualTo("id");
      assertThat(problem.get("detail").asText()).isEqualTo("id must be a positive integer");
    }
  }

  @Test
  void aBodyWithoutContentTypeIsA415SayingItIsMissing() throws Exception {
    HttpResponse<String> response =
        app.send(
            HttpRequest.newBuilder(app.uri("/orders"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"customer\":\"ada\",\"lines\":[]}"))
                .build());

    assertThat(problem(response, 415, "Unsupported Media Type").get("detail").asText())
        .startsWith("Content-Type is missing");
  }

  @Test
  void jsonWithParametersOrAStructuredSuffixIsAccepted() throws Exception {
    // RFC 8259 section 11 (application/json, parameters ignored) and RFC 6839 section 3.1 (+json).
    for (String type :
        List.of(
            "application/json; charset=utf-8",
            "Application/JSON",
            "application/merge-patch+json")) {
      assertThat(
              post("/orders", type, "{\"customer\":\"ada\",\"lines\":[{\"quantity\":2}]}")
                  .statusCode())
          .as("Content-Type: %s", type)
          .isEqualTo(201);
    }
  }

  @Test
  void aBodyOfExactlyOneMebibyteIsAcceptedAndOneByteMoreIsA413() throws Exception {
    String exact = objectOfSize(JsonBody.MAX_BYTES);
    assertThat(post("/orders", "application/json", exact).statusCode())
        .as("1 MiB with Content-Length")
        .isEqualTo(201);
    assertThat(postChunked(exact).statusCode())
        .as("1 MiB chunked (no Content-Length)")
        .isEqualTo(201);

    String over = objectOfSize(JsonBody.MAX_BYTES + 1);
    // Expect: 100-continue, as a client sending a large body should: the server may answer 413 from
    // the Content-Length alone and close; a client still writing the body would then lose that
    // answer
    // to the connection's reset.
    problem(
        app.send(
            HttpRequest.newBuilder(app.uri("/orders"))
                .header("Content-Type", "application/json")
                .expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString(over))
                .build()),
        413,
        "Content Too Large");
    problem(postChunked(over), 413, "Content Too Large");
  }

  @Test
  void aJsonBodyInACharsetOtherThanUtf8IsA415NamingTheCharset() throws Exception {
    JsonNode latin1 =
        problem(
            post("/orders", "application/json; charset=ISO-8859-1", "{\"lines\":[]}"),
            415,
            "Unsupported Media Type");
    assertThat(latin1.get("detail").asText()).startsWith("charset 'iso-8859-1' is not supported");

    for (String utf8 :
        List.of(
            "application/json; charset=utf-8",
            "application/json;charset=\"UTF-8\"",
            "application/json; CHARSET=utf8",
            "application/json; version=2")) {
      assertThat(post("/orders", utf8, "{\"lines\":[]}").statusCode())
          .as("Content-Type: %s", utf8)
          .isEqualTo(201);
    }
  }

  @Test
  void aCharsetJavaDoesNotKnowIsA415NamingItNotA500() throws Exception {
    JsonNode unknown =
        problem(
            post("/notes", "text/plain; charset=klingon", "qapla'"), 415, "Unsupported Media Type");
    assertThat(unknown.get("detail").asText()).startsWith("charset 'klingon' of Content-Type");

    JsonNode illegal =
        problem(post("/notes", "text/plain; charset=@@", "x"), 415, "Unsupported Media Type");
    assertThat(illegal.get("detail").asText()).startsWith("charset '@@' of Content-Type");
  }

  @Test
  void aKeyGivenTwiceInOneObjectIsA400NamingTheKey() throws Exception {
    JsonNode twice =
        problem(
            post("/orders", "application/json", "{\"customer\":\"a\",\"customer\":\"b\"}"),
            400,
            "Bad Request");
    assertThat(twice.get("detail").asText())
        .startsWith("a key appears twice in one JSON object at line 1, column ")
        .contains("'customer'")
        .endsWith("send each field once");
  }

  @Test
  void anEmptyBodyIsA400() throws Exception {
    assertThat(
            problem(post("/orders", "application/json", ""), 400, "Bad Request")
                .get("detail")
                .asText())
        .isEqualTo("the request body is empty: send a JSON object");
  }

  @Test
  void aWrongTypeInsideAListNamesTheFieldWithItsIndex() throws Exception {
    JsonNode first =
        problem(
            post(
                "/orders",
                "application/json",
                "{\"customer\":\"ada\",\"lines\":[{\"quantity\":\"many\"}]}"),
            422,
            "Unprocessable Content");
    assertThat(first.get("field").asText()).isEqualTo("lines[0].quantity");

    JsonNode third =
        problem(
            post(
                "/orders",
                "application/json",
                "{\"customer\":\"ada\",\"lines\":[{\"quantity\":1},{\"quantity\":2},{\"quantity\":{}}]}"),
            422,
            "Unprocessable Content");
    assertThat(third.get("field").asText()).isEqualTo("lines[2].quantity");
  }

  @Test
  void javalinsOwnValidationIsA422NamingTheParameter() throws Exception {
    JsonNode problem = problem(app.get("/search?page=two"), 422, "Unprocessable Content");
    assertThat(problem.get("field").asText()).isEqualTo("page");
    assertThat(problem.get("detail").asText())
        .as("Javalin's reason is kept")
        .matches("page is invalid \\(.+\\)");
  }

  @Test
  void notFoundConflictAndJavalinsOwnResponsesKeepTheirStatusTitleAndMessage() throws Exception {
    assertThat(problem(app.get("/gone"), 404, "Not Found").get("detail").asText())
        .isEqualTo("product 7 does not exist: list /products");
    assertThat(problem(app.get("/taken"), 409, "Conflict").get("detail").asText())
        .isEqualTo("only 2 left: order at most 2");
    assertThat(problem(app.get("/forbidden"), 403, "Forbidden").get("detail").asText())
        .isEqualTo("members only");
  }

  @Test
  void aProblemNamesTheRequestPathAsItsInstance() throws Exception {
    assertThat(problem(app.get("/taken"), 409, "Conflict").get("instance").asText())
        .isEqualTo("/taken");
  }

  @Test
  void aRequestJettyRejectsBeforeRoutingIsStillAProblemWithoutInstance() throws Exception {
    // An HTTP/1.1 request without Host is a 400 (RFC 9112 section 3.2), answered by Jetty's error
    // handler.
    String raw;
    try (Socket socket = new Socket("127.0.0.1", app.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /products HTTP/1.1\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(raw).startsWith("HTTP/1.1 400");
    assertThat(
            raw.lines()
                .filter(l -> l.toLowerCase().startsWith("content-type:"))
                .findFirst()
                .orElse(""))
        .contains(Problem.MEDIA_TYPE);
    JsonNode problem = JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
    assertThat(problem.get("status").asInt()).isEqualTo(400);
    assertThat(problem.get("title").asText()).isEqualTo("Bad Request");
    assertThat(problem.get("detail").asText())
        .startsWith("the server rejected the request before routing it (")
        .endsWith("): fix the request line or headers");
    assertThat(problem.has("instance")).as("no route, so no instance").isFalse();
  }

  @Test
  void aStatusWithoutItsOwnPhraseIsTitledByItsClass() {
    // RFC 9110 section 15: 4xx is the class "Client Error", 5xx "Server Error".
    assertThat(Problem.of(418, "teapot").title()).isEqualTo("Client Error");
    assertThat(Problem.of(451, "legal").title()).isEqualTo("Client Error");
    assertThat(Problem.of(501, "later").title()).isEqualTo("Server Error");
    assertThat(Problem.of(507, "full").title()).isEqualTo("Server Error");
    assertThat(Problem.of(500, "oops").title()).isEqualTo("Internal Server Error");
  }

  private static HttpResponse<String> post(String path, String contentType, String body)
      throws Exception {
    return app.send(
        HttpRequest.newBuilder(app.uri(path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** POSTs with chunked transfer coding: the server does not know the length before reading. */
  private static HttpResponse<String> postChunked(String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return app.send(
        HttpRequest.newBuilder(app.uri("/orders"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> (InputStream) new ByteArrayInputStream(bytes)))
            .build());
  }

  /** A JSON object {@code {"customer":"xxx...","lines":[]}} of exactly {@code size} bytes. */
  private static String objectOfSize(long size) {
    String frame = "{\"customer\":\"\",\"lines\":[]}";
    String object =
        "{\"customer\":\"" + "x".repeat((int) (size - frame.length())) + "\",\"lines\":[]}";
    assertThat(object.getBytes(StandardCharsets.UTF_8)).hasSize((int) size);
    return object;
  }

  private static JsonNode body(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
    return JSON.readTree(response.body());
  }

  private static JsonNode problem(HttpResponse<String> response, int status, String title)
      throws Exception {
    assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith(Problem.MEDIA_TYPE));
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("type").asText()).isEqualTo("about:blank");
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("title").asText()).isEqualTo(title);
    return problem;
  }
}

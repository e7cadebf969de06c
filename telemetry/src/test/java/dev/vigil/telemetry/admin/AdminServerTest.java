package dev.vigil.telemetry.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.telemetry.Scrape;
import dev.vigil.telemetry.logging.AsyncLineWriter;
import io.javalin.http.HandlerType;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {

  private static final String TOKEN = "s3cret-token-for-tests";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusRegistry metrics;
  private FaultRegistry faults;
  private AdminServer server;

  static List<FaultSpec> specs() {
    return List.of(
        FaultSpec.builder("http_errors", "answers a ratio of requests with a 5xx")
            .targets(List.of("*", "/api/products", "/api/products/{id}"))
            .param(FaultParam.required("ratio", 0, 1, false, "ratio of requests failed"))
            .param(FaultParam.withDefault("status", 500, 599, true, 500, "the status sent"))
            .build(),
        FaultSpec.builder("http_latency", "adds latency")
            .targets(List.of("*", "/api/products"))
            .param(FaultParam.optional("fixed_ms", 0, 60_000, true, "added milliseconds"))
            .param(FaultParam.optional("mean_ms", 0, 60_000, true, "mean added milliseconds"))
            .param(FaultParam.optional("jitter_ms", 0, 60_000, true, "spread, milliseconds"))
            .rule(
                p ->
                    p.containsKey("fixed_ms") == p.containsKey("mean_ms")
                        ? Optional.of("send params.fixed_ms, or params.mean_ms and jitter_ms")
                        : Optional.empty())
            .build(),
        FaultSpec.builder("db_unavailable", "every connection attempt fails").build());
  }

  @BeforeEach
  void start() {
    metrics = new PrometheusRegistry();
    faults = new FaultRegistry(metrics, specs());
    server =
        AdminServer.builder(AdminConfig.loopback(0, TOKEN, "drill-bot"))
            .faults(faults)
            .endpoint(
                HandlerType.GET,
                "/admin/errors",
                ctx -> ctx.result("errors for " + AdminServer.who(ctx)))
            .build();
  }

  @AfterEach
  void stop() {
    server.close();
    faults.close();
  }

  @Test
  void withoutATokenTheAdminPortIsNotEvenBound() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    try (AdminServer off =
        AdminServer.builder(AdminConfig.loopback(port, null, "admin")).faults(faults).build()) {
      assertThat(off.running()).isFalse();
      assertThat(off.port()).isEqualTo(-1);
      assertThatThrownBy(
              () -> {
                try (Socket s = new Socket()) {
                  s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                }
              })
          .as("nothing may listen on the admin port without VIGIL_ADMIN_TOKEN")
          .isInstanceOf(ConnectException.class);
    }
    assertThat(
            AdminConfig.fromEnvironment(java.util.Map.of("VIGIL_ADMIN_TOKEN", "  "), 0).enabled())
        .as("a blank token is no token")
        .isFalse();
  }

  @Test
  void anyoneWhoReachedThePortCouldSetFaults_nowAMissingOrWrongTokenGets401ProblemJson()
      throws Exception {
    for (String authorization :
        new String[] {null, "Bearer wrong", "Bearer " + TOKEN + "x", TOKEN}) {
      for (HttpRequest.Builder request :
          List.of(
              builder("/admin/faults").GET(),
              builder("/admin/faults/db_unavailable").PUT(HttpRequest.BodyPublishers.noBody()),
              builder("/admin/faults").DELETE(),
              builder("/admin/errors").GET(),
              builder("/admin/no-such-thing").GET())) {
        if (authorization != null) {
          request.header("Authorization", authorization);
        }
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s with %s", r.request(), authorization).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(JSON.readTree(r.body()).get("status").asInt()).isEqualTo(401);
      }
    }
    assertThat(faults.active()).as("no request without the token changed anything").isEmpty();

    HttpResponse<String> ok = send(builder("/admin/errors").GET());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body())
        .as("a mounted endpoint learns who called")
        .isEqualTo("errors for drill-bot");
  }

  @Test
  void aFaultIsSetListedAndClearedWithWhoSetIt() throws Exception {
    HttpResponse<String> set =
        send(
            builder("/admin/faults/http_errors")
                .PUT(
                    body(
                        "{\"target\":\"/api/products\",\"params\":{\"ratio\":0.5},\"ttl\":\"10m\"}")));
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    JsonNode entry = JSON.readTree(set.body());
    assertThat(entry.get("fault").asText()).isEqualTo("http_errors");
    assertThat(entry.get("target").asText()).isEqualTo("/api/products");
    assertThat(entry.get("params").get("ratio").asDouble()).isEqualTo(0.5);
    assertThat(entry.get("params").get("status").asInt()).as("the default status").isEqualTo(500);
    assertThat(entry.get("setBy").asText()).isEqualTo("drill-bot");
    Instant since = Instant.parse(entry.get("since").asText());
    assertThat(Duration.between(since, Instant.parse(entry.get("expiresAt").asText())))
        .isEqualTo(Duration.ofMinutes(10));

    send(builder("/admin/faults/db_unavailable").PUT(HttpRequest.BodyPublishers.noBody()));
    JsonNode list = JSON.readTree(send(builder("/admin/faults").GET()).body()).get("faults");
    assertThat(list).hasSize(2);
    assertThat(list.get(1).get("fault").asText()).isEqualTo("http_errors");
    assertThat(list.get(0).get("expiresAt").isNull()).as("no ttl, no expiry").isTrue();
    assertThat(metric("db_unavailable", "*")).isEqualTo(1);
    assertThat(metric("http_errors", "/api/products")).isEqualTo(1);

    assertThat(faults.find("http_errors", "/api/products")).isNotNull();
    assertThat(faults.find("http_errors", "/api/products/{id}")).as("another route").isNull();

    assertThat(
            send(builder("/admin/faults/http_errors?target=/api/products/%7Bid%7D").DELETE())
                .statusCode())
        .isEqualTo(204);
    assertThat(faults.find("http_errors", "/api/products")).as("another target stays").isNotNull();
    assertThat(send(builder("/admin/faults/http_errors").DELETE()).statusCode()).isEqualTo(204);
    assertThat(metric("http_errors", "/api/products")).isEqualTo(0);
    assertThat(send(builder("/admin/faults").DELETE()).statusCode()).isEqualTo(204);
    assertThat(faults.active()).isEmpty();
    assertThat(metric("db_unavailable", "*")).isEqualTo(0);
  }

  @Test
  void aForgottenFaultHealsItselfWhenItsTtlRunsOut() throws Exception {
    send(builder("/admin/faults/db_unavailable").PUT(body("{\"ttl\":\"1s\"}")));
    assertThat(faults.on("db_unavailable")).isTrue();
    assertThat(metric("db_unavailable", "*")).isEqualTo(1);

    Instant deadline = Instant.now().plusSeconds(15);
    while (faults.on("db_unavailable") || metric("db_unavailable", "*") != 0) {
      assertThat(Instant.now()).as("the fault with ttl 1s is still on").isBefore(deadline);
      Thread.sleep(50);
    }
    assertThat(JSON.readTree(send(builder("/admin/faults").GET()).body()).get("faults")).isEmpty();
  }

  @Test
  void badRequestsGet400NamingTheFieldAndTheFix() throws Exception {
    record Case(String path, String body, String field, String says) {}
    for (Case c :
        List.of(
            new Case("/admin/faults/no_such_fault", "{}", "fault", "knows http_errors"),
            new Case(
                "/admin/faults/http_errors",
                "{\"params\":{\"ratio\":1.5}}",
                "params.ratio",
                "from 0 to 1"),
            new Case("/admin/faults/http_errors", "{}", "params.ratio", "needs params.ratio"),
            new Case(
                "/admin/faults/http_errors",
                "{\"params\":{\"ratio\":1,\"status\":404}}",
                "params.status",
                "500 to 599"),
            new Case(
                "/admin/faults/http_errors",
                "{\"params\":{\"ratio\":\"half\"}}",
                "params.ratio",
                "JSON number"),
            new Case(
                "/admin/faults/http_errors",
                "{\"params\":{\"ratio\":1,\"speed\":2}}",
                "params.speed",
                "ratio, status"),
            new Case(
                "/admin/faults/http_errors",
                "{\"target\":\"/nope\",\"params\":{\"ratio\":1}}",
                "target",
                "/api/products"),
            new Case(
                "/admin/faults/http_errors",
                "{\"ttl\":\"ten minutes\",\"params\":{\"ratio\":1}}",
                "ttl",
                "10m"),
            new Case(
                "/admin/faults/http_errors",
                "{\"ttl\":\"0s\",\"params\":{\"ratio\":1}}",
                "ttl",
                "positive"),
            new Case(
                "/admin/faults/http_latency",
                "{\"params\":{\"fixed_ms\":5,\"mean_ms\":5}}",
                "params",
                "fixed_ms"),
            new Case(
                "/admin/faults/http_errors", "{\"ratio\":1}", "ratio", "target, params and ttl"),
            new Case("/admin/faults/http_errors", "{\"params\":", "body", "malformed JSON"))) {
      HttpResponse<String> r = send(builder(c.path()).PUT(body(c.body())));
      assertThat(r.statusCode()).as("%s %s -> %s", c.path(), c.body(), r.body()).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      JsonNode problem = JSON.readTree(r.body());
      assertThat(problem.get("field").asText()).as(r.body()).isEqualTo(c.field());
      assertThat(problem.get("detail").asText()).as(r.body()).contains(c.says());
    }
    assertThat(faults.active()).isEmpty();
  }

  @Test
  void everyChangeIsLoggedAsJsonWithWhoAndWhat() throws Exception {
    List<JsonNode> lines =
        logLines(
            () -> {
              send(builder("/admin/faults/http_errors").PUT(body("{\"params\":{\"ratio\":0.25}}")));
              send(builder("/admin/faults/http_errors").DELETE());
              send(builder("/admin/faults/db_unavailable").PUT(body("{\"ttl\":\"100ms\"}")));
              Instant deadline = Instant.now().plusSeconds(10);
              while (!faults.active().isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
              }
              Thread.sleep(200); // the expiry line is written just after the fault stops acting
            });
    assertThat(lines)
        .extracting(
            l ->
                l.path("event").asText()
                    + " "
                    + l.path("fault").asText()
                    + " "
                    + l.path("who").asText())
        .containsExactly(
            "fault_set http_errors drill-bot",
            "fault_cleared http_errors drill-bot",
            "fault_set db_unavailable drill-bot",
            "fault_expired db_unavailable expiry");
    assertThat(lines.get(0).path("params").path("ratio").asDouble()).isEqualTo(0.25);
    assertThat(lines.get(0).path("target").asText()).isEqualTo("*");
    assertThat(lines.get(3).path("set_by").asText()).isEqualTo("drill-bot");
  }

  interface Action {
    void run() throws Exception;
  }

  private static List<JsonNode> logLines(Action action) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    AsyncLineWriter.stdout().flush(Duration.ofSeconds(10));
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
      AsyncLineWriter.stdout().flush(Duration.ofSeconds(10));
    } finally {
      System.setOut(original);
    }
    return captured
        .toString(StandardCharsets.UTF_8)
        .lines()
        .filter(l -> l.contains("\"logger\":\"" + FaultRegistry.class.getName() + "\""))
        .map(
            l -> {
              try {
                return JSON.readTree(l);
              } catch (IOException e) {
                throw new AssertionError("not a JSON log line: " + l, e);
              }
            })
        .toList();
  }

  private double metric(String fault, String target) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, metrics.scrape());
    Scrape scrape = Scrape.parse(out.toString(StandardCharsets.UTF_8));
    assertThat(scrape.samples())
        .as("vigil_fault_active{fault=%s,target=%s} is exposed", fault, target)
        .anyMatch(
            s -> s.name().equals(FaultRegistry.METRIC) && s.labels().get("fault").equals(fault));
    return scrape.value(FaultRegistry.METRIC, "fault", fault, "target", target);
  }

  @Test
  void theSchemeNameIsCaseInsensitiveAsRfc9110Says() throws Exception {
    // Before: "bearer <token>" was refused with 401.
    for (String scheme : new String[] {"Bearer", "bearer", "BEARER"}) {
      HttpResponse<String> answer =
          HTTP.send(
              builder("/admin/errors").GET().header("Authorization", scheme + " " + TOKEN).build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(answer.statusCode()).as(scheme).isEqualTo(200);
    }
  }

  @Test
  void aTokenShorterThan32CharactersIsRefusedAtStartNamingTheVariableNotTheToken() {
    // Before: VIGIL_ADMIN_TOKEN=x started an admin API guarded by one character.
    assertThatThrownBy(
            () ->
                AdminConfig.fromEnvironment(java.util.Map.of("VIGIL_ADMIN_TOKEN", "short-one"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("VIGIL_ADMIN_TOKEN is 9 characters long")
        .hasMessageContaining("at least 32")
        .hasMessageNotContaining("short-one");
    assertThat(
            AdminConfig.fromEnvironment(java.util.Map.of("VIGIL_ADMIN_TOKEN", "a".repeat(32)), 0)
                .enabled())
        .isTrue();
  }

  private HttpRequest.Builder builder(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(10));
  }

  private static HttpRequest.BodyPublisher body(String json) {
    return HttpRequest.BodyPublishers.ofString(json);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(
        request
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

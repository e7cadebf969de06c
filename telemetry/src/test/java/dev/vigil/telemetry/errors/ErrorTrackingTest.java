package dev.vigil.telemetry.errors;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.telemetry.TelemetryPlugin;
import dev.vigil.telemetry.TelemetrySwitches;
import dev.vigil.telemetry.admin.AdminConfig;
import dev.vigil.telemetry.admin.AdminServer;
import dev.vigil.telemetry.logging.RequestIds;
import dev.vigil.telemetry.tracing.HttpServerTracing;
import dev.vigil.telemetry.tracing.Tracing;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Error tracking end to end: a service with the telemetry plugin fails requests in two different
 * ways, and {@code GET /admin/errors} (mounted on the admin server, behind its token) lists one
 * group per way of failing, with counts and the failing requests' trace and request ids taken from
 * the responses the client saw (the oracle), and {@code app_exceptions_total} as counted by the
 * client.
 */
class ErrorTrackingTest {

  private static final String TOKEN = "errors-test-token";

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
  private Tracing tracing;
  private TelemetryPlugin telemetry;
  private Javalin app;
  private AdminServer admin;

  @BeforeEach
  void start() {
    warnings.start();
    ((Logger) LoggerFactory.getLogger(ErrorTracker.class)).addAppender(warnings);
    tracing = Tracing.fromEnvironment("shop", Map.of());
    telemetry =
        new TelemetryPlugin(TelemetrySwitches.all())
            .tracing(tracing)
            .errorTracking(ErrorTracker.builder().service("shop").release("1.4.0"));
    Inventory inventory = new Inventory();
    app =
        Javalin.create(
                config -> {
                  config.startup.showJavalinBanner = false;
                  config.registerPlugin(telemetry);
                  config.routes.post("/orders", ctx -> inventory.reserve(ctx.queryParam("sku")));
                  config.routes.get("/prices", ctx -> inventory.price(ctx.queryParam("sku")));
                })
            .start("127.0.0.1", 0);
    admin =
        AdminServer.builder(AdminConfig.loopback(0, TOKEN, "tester"))
            .endpoint(HandlerType.GET, "/admin/errors", new ErrorsEndpoint(telemetry.errors()))
            .build();
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(ErrorTracker.class)).detachAppender(warnings);
    admin.close();
    app.stop();
    tracing.close();
  }

  @Test
  void twoDifferentFailuresAreTwoGroupsAndARepeatedOneCountsInItsGroup() throws Exception {
    List<HttpResponse<String>> reserveFailures = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      reserveFailures.add(send("POST", "/orders?sku=sku-" + i));
    }
    HttpResponse<String> priceFailure = send("GET", "/prices?sku=x");
    for (HttpResponse<String> response : reserveFailures) {
      assertThat(response.statusCode()).isEqualTo(500);
    }
    assertThat(priceFailure.statusCode()).isEqualTo(500);

    assertThat(adminGet(null).statusCode())
        .as("the error groups describe the code: never without the admin token")
        .isEqualTo(401);
    JsonNode errors = json.readTree(adminGet(TOKEN).body());
    assertThat(errors.get("service").asText()).isEqualTo("shop");
    assertThat(errors.get("release").asText()).isEqualTo("1.4.0");
    JsonNode groups = errors.get("groups");
    assertThat(groups)
        .as("two ways of failing must be two groups, not one per request nor one for all")
        .hasSize(2);

    JsonNode reserve = groupAt(groups, "Inventory#reserve");
    assertThat(reserve.get("type").asText()).isEqualTo(IllegalStateException.class.getName());
    assertThat(reserve.get("count").asLong())
        .as("the three failed reservations (messages differ per sku) count in one group")
        .isEqualTo(3);
    assertThat(reserve.get("release").asText()).isEqualTo("1.4.0");
    assertThat(reserve.get("frames").get(0).asText())
        .isEqualTo(Inventory.class.getName() + "#reserve");
    assertThat(texts(reserve.get("trace_ids")))
        .as("the group names the trace of each failing request, newest first")
        .containsExactly(
            traceId(reserveFailures.get(2)),
            traceId(reserveFailures.get(1)),
            traceId(reserveFailures.get(0)));
    assertThat(texts(reserve.get("request_ids")))
        .containsExactly(
            requestId(reserveFailures.get(2)),
            requestId(reserveFailures.get(1)),
            requestId(reserveFailures.get(0)));
    assertThat(reserve.get("last_seen").asText())
        .isGreaterThanOrEqualTo(reserve.get("first_seen").asText());

    JsonNode price = groupAt(groups, "Inventory#price");
    assertThat(price.get("count").asLong()).isEqualTo(1);
    assertThat(texts(price.get("trace_ids"))).containsExactly(traceId(priceFailure));
    assertThat(price.get("fingerprint").asText()).isNotEqualTo(reserve.get("fingerprint").asText());

    String metrics = send("GET", "/metrics").body();
    assertThat(metrics)
        .contains("app_exceptions_total{type=\"java.lang.IllegalStateException\"} 3.0")
        .contains("app_exceptions_total{type=\"java.lang.ArithmeticException\"} 1.0");
  }

  @Test
  void aNewFingerprintIsLoggedOnceAtWarnWithTheTraceIdOfItsFirstOccurrence() throws Exception {
    HttpResponse<String> first = send("POST", "/orders?sku=a");
    send("POST", "/orders?sku=b");
    send("POST", "/orders?sku=c");

    List<ILoggingEvent> newGroups =
        warnings.list.stream()
            .filter(e -> e.getLevel() == Level.WARN)
            .filter(e -> e.getFormattedMessage().startsWith("new error group"))
            .toList();
    assertThat(newGroups).as("one WARN for the new group, not one per occurrence").hasSize(1);
    assertThat(newGroups.get(0).getFormattedMessage())
        .contains("release 1.4.0")
        .contains("trace_id=" + traceId(first))
        .contains(telemetry.errors().groups().get(0).fingerprint());
  }

  private static JsonNode groupAt(JsonNode groups, String frameSuffix) {
    for (JsonNode group : groups) {
      if (group.get("frames").get(0).asText().endsWith(frameSuffix)) {
        return group;
      }
    }
    throw new AssertionError("no group whose top frame is " + frameSuffix + " in " + groups);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  private static String traceId(HttpResponse<?> response) {
    return response.headers().firstValue(HttpServerTracing.TRACE_ID_HEADER).orElseThrow();
  }

  private static String requestId(HttpResponse<?> response) {
    return response.headers().firstValue(RequestIds.HEADER).orElseThrow();
  }

  private HttpResponse<String> adminGet(String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + "/admin/errors"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A catalogue's stock with two bugs. */
  static final class Inventory {
    void reserve(String sku) {
      throw new IllegalStateException("no stock row for " + sku);
    }

    void price(String sku) {
      int divisor = sku.length() - 1;
      System.out.println(100 / divisor);
    }
  }
}

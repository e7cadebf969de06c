package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.telemetry.admin.AdminConfig;
import dev.vigil.telemetry.admin.AdminServer;
import dev.vigil.telemetry.errors.ErrorTracker;
import dev.vigil.telemetry.errors.ErrorsEndpoint;
import io.javalin.http.HandlerType;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The errors page's data against a real admin API (telemetry's {@link AdminServer} with its {@link
 * ErrorsEndpoint}, as the catalog mounts it) whose tracker records failures raised here, so every
 * count and trace id is known from the test itself.
 */
class ErrorGroupsTest {

  private static final String TOKEN = "console-test-token-9f2c";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path state;
  private ErrorTracker tracker;
  private AdminServer admin;

  @BeforeEach
  void startAdminApi() {
    tracker = ErrorTracker.builder().service("catalog").release("1.2.3").build();
    admin =
        AdminServer.builder(AdminConfig.loopback(0, TOKEN, "console-test"))
            .endpoint(HandlerType.GET, "/admin/errors", new ErrorsEndpoint(tracker))
            .build();
  }

  @AfterEach
  void stopAdminApi() {
    admin.close();
    tracker.close();
  }

  private ErrorGroups groups(Map<String, URI> apis) {
    return new ErrorGroups(apis, state.resolve("admin-token"));
  }

  private URI adminUrl() {
    return URI.create("http://127.0.0.1:" + admin.port());
  }

  @Test
  void twoFailuresAreTwoGroupsWithTheirCountsAndTheLatestTraceIdsNewestFirst() throws Exception {
    Files.writeString(state.resolve("admin-token"), TOKEN + "\n");
    List<String> stockTraces =
        List.of(
            "0af7651916cd43dd8448eb211c80319c",
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "5b8aa5a2d2c872e8321cf37308d69df2");
    for (String trace : stockTraces) {
      tracker.record(outOfStock(), trace, "req-" + trace.substring(0, 4));
    }
    tracker.record(paymentTimeout(), "a3ce929d0e0e47364bf92f3577b34da6", null);

    Map<String, Object> body = groups(Map.of("catalog", adminUrl())).services();

    List<?> services = (List<?>) body.get("services");
    assertThat(services).hasSize(1);
    @SuppressWarnings("unchecked")
    Map<String, Object> catalog = (Map<String, Object>) services.get(0);
    assertThat(catalog)
        .containsEntry("service", "catalog")
        .containsEntry("state", "ok")
        .containsEntry("release", "1.2.3");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> groups = (List<Map<String, Object>>) catalog.get("groups");
    assertThat(groups).hasSize(2);
    Map<String, Object> stock =
        groups.stream()
            .filter(g -> g.get("type").equals("java.lang.IllegalStateException"))
            .findFirst()
            .orElseThrow();
    assertThat(stock.get("count")).as("raised 3 times above").isEqualTo(3L);
    assertThat(stock.get("trace_ids"))
        .as("newest first")
        .isEqualTo(List.of(stockTraces.get(2), stockTraces.get(1), stockTraces.get(0)));
    assertThat(stock.get("release")).isEqualTo("1.2.3");
    assertThat((String) stock.get("first_seen"))
        .isLessThanOrEqualTo((String) stock.get("last_seen"));
    Map<String, Object> timeout =
        groups.stream()
            .filter(g -> g.get("type").equals("java.util.concurrent.TimeoutException"))
            .findFirst()
            .orElseThrow();
    assertThat(timeout.get("count")).isEqualTo(1L);
    assertThat(timeout.get("fingerprint")).isNotEqualTo(stock.get("fingerprint"));
    assertThat(timeout.get("trace_ids")).isEqualTo(List.of("a3ce929d0e0e47364bf92f3577b34da6"));
    assertThat(JSON.writeValueAsString(body))
        .as("the token never leaves the server")
        .doesNotContain(TOKEN);
  }

  @Test
  void withoutATokenFileEachServiceSaysNoTokenAndWhereTheConsoleLooked() {
    Map<String, URI> apis = new LinkedHashMap<>();
    apis.put("catalog", adminUrl());
    apis.put("payments", URI.create("http://127.0.0.1:9"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> services =
        (List<Map<String, Object>>) groups(apis).services().get("services");
    assertThat(services).extracting(s -> s.get("service")).containsExactly("catalog", "payments");
    assertThat(services)
        .allSatisfy(
            s -> {
              assertThat(s.get("state")).isEqualTo("no token");
              assertThat((String) s.get("detail"))
                  .contains(state.resolve("admin-token").toString())
                  .contains("./vigil up");
              assertThat(s.get("groups")).isEqualTo(List.of());
            });
  }

  @Test
  void aTokenFromAnotherStartOfTheStackIsRefusedAndSaidSo() throws Exception {
    Files.writeString(state.resolve("admin-token"), "a-stale-token\n");
    @SuppressWarnings("unchecked")
    Map<String, Object> catalog =
        ((List<Map<String, Object>>)
                groups(Map.of("catalog", adminUrl())).services().get("services"))
            .get(0);
    assertThat(catalog.get("state")).isEqualTo("refused");
    assertThat((String) catalog.get("detail"))
        .contains("refused the token")
        .contains("./vigil down");
  }

  @Test
  void anAdminApiThatIsDownIsUnreachableWhileTheOtherServiceIsShown() throws Exception {
    Files.writeString(state.resolve("admin-token"), TOKEN);
    tracker.record(outOfStock(), null, null);
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Map<String, URI> apis = new LinkedHashMap<>();
    apis.put("catalog", adminUrl());
    apis.put("payments", URI.create("http://127.0.0.1:" + closed));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> services =
        (List<Map<String, Object>>) groups(apis).services().get("services");
    assertThat(services.get(0).get("state")).isEqualTo("ok");
    assertThat((List<?>) services.get(0).get("groups")).hasSize(1);
    assertThat(services.get(1).get("state")).isEqualTo("unreachable");
    assertThat((String) services.get(1).get("detail"))
        .contains("payments's admin API at http://127.0.0.1:" + closed + " does not answer")
        .contains("VIGIL_ADMIN_TOKEN");
  }

  /** A failure thrown from one place of "application" code (dev.vigil.). */
  private static IllegalStateException outOfStock() {
    try {
      throw new IllegalStateException("product 42 is out of stock");
    } catch (IllegalStateException e) {
      return e;
    }
  }

  /** Another failure, of another type from another place. */
  private static TimeoutException paymentTimeout() {
    return new TimeoutException("payment provider did not answer in 2 s");
  }
}

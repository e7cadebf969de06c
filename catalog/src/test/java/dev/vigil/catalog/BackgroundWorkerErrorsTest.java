package dev.vigil.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.catalog.db.Database;
import dev.vigil.catalog.order.OrderReconciler;
import dev.vigil.telemetry.errors.ErrorTracker;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The catalog's background workers fail into error tracking as its requests do. Regression: a
 * reconciliation pass that failed (the database down) was a WARN line only, so a failing reconciler
 * left no error group, no {@code app_exceptions_total} and no stack trace.
 */
class BackgroundWorkerErrorsTest {

  private static final String TOKEN = "worker-errors-test";

  @TempDir static Path dataDir;
  private static CatalogFixture catalog;
  private static final ListAppender<ILoggingEvent> trackerLog = new ListAppender<>();

  @BeforeAll
  static void start() {
    trackerLog.start();
    ((Logger) LoggerFactory.getLogger(ErrorTracker.class)).addAppender(trackerLog);
    catalog =
        CatalogFixture.builder(dataDir)
            .env("VIGIL_RECONCILE_INTERVAL", "200ms")
            .adminToken(TOKEN)
            .start();
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(ErrorTracker.class)).detachAppender(trackerLog);
    if (catalog != null) {
      catalog.close();
    }
  }

  @Test
  void aFailingReconcilerLeftNoErrorGroupNowItsPassesAreGroupedCountedAndLogged() throws Exception {
    CatalogClient client = catalog.client();
    double succeeded = runs(client, "success");
    await("a reconciliation pass succeeds first", () -> runs(client, "success") > succeeded);
    assertThat(catalog.admin("PUT", "/admin/faults/db_unavailable", "{}").statusCode())
        .isEqualTo(200);
    await("two reconciliation passes fail", () -> runs(client, "failure") >= 2);
    assertThat(catalog.admin("DELETE", "/admin/faults/db_unavailable", null).statusCode())
        .isEqualTo(204);
    double succeededAgain = runs(client, "success");
    await("passes succeed again", () -> runs(client, "success") > succeededAgain);

    // the oracle: the reconciler's own count of failed passes, now that they have stopped
    double failedPasses = runs(client, "failure");
    HttpResponse<String> answer = catalog.admin("GET", "/admin/errors", null);
    assertThat(answer.statusCode()).isEqualTo(200);
    List<JsonNode> reconcilerGroups = new ArrayList<>();
    for (JsonNode group : CatalogClient.json(answer).get("groups")) {
      if (group.get("workers").toString().contains(OrderReconciler.WORKER)) {
        reconcilerGroups.add(group);
      }
    }
    // the injected connection failure, then (once the breaker has opened) its refusal: a group each
    assertThat(reconcilerGroups)
        .as("the failed passes are error groups naming the worker: %s", answer.body())
        .isNotEmpty();
    double grouped = 0;
    Set<String> types = new TreeSet<>();
    for (JsonNode group : reconcilerGroups) {
      grouped += group.get("count").asDouble();
      types.add(group.get("type").asText());
      assertThat(group.get("workers").get(0).asText()).isEqualTo(OrderReconciler.WORKER);
      assertThat(group.get("trace_ids")).as("a pass belongs to no request or trace").isEmpty();
      assertThat(group.get("request_ids")).isEmpty();
      assertThat(group.get("frames").get(0).asText())
          .as("where the fault broke the pass: the database layer")
          .startsWith(Database.class.getName() + "#");
      assertThat(
              trackerLog.list.stream()
                  .filter(e -> e.getLevel() == Level.WARN)
                  .filter(e -> e.getFormattedMessage().contains(group.get("fingerprint").asText())))
          .as("each new group announced once, naming the worker")
          .singleElement()
          .satisfies(e -> assertThat(e.getFormattedMessage()).contains(OrderReconciler.WORKER));
    }
    assertThat(grouped).as("every failed pass is in a group").isEqualTo(failedPasses);
    double counted = 0;
    for (String type : types) {
      counted += client.metric("app_exceptions_total", "type", type);
    }
    assertThat(counted).as("app_exceptions_total%s", types).isEqualTo(failedPasses);

    List<ILoggingEvent> errors =
        trackerLog.list.stream()
            .filter(e -> e.getLevel() == Level.ERROR)
            .filter(e -> e.getFormattedMessage().contains(OrderReconciler.WORKER))
            .toList();
    assertThat(errors).as("one ERROR line per failed pass").hasSize((int) failedPasses);
    assertThat(errors.getFirst().getThrowableProxy()).as("with its stack trace").isNotNull();
    assertThat(errors.getFirst().getThrowableProxy().getStackTraceElementProxyArray())
        .extracting(frame -> frame.getStackTraceElement().getMethodName())
        .as("the reconciler's pass in that stack trace")
        .contains("runOnce");
    Map<String, String> keyValues = new HashMap<>();
    errors
        .getFirst()
        .getKeyValuePairs()
        .forEach(p -> keyValues.put(p.key, String.valueOf(p.value)));
    assertThat(keyValues).containsEntry("worker", OrderReconciler.WORKER);
    assertThat(reconcilerGroups)
        .extracting(g -> g.get("fingerprint").asText())
        .contains(keyValues.get("fingerprint"));
  }

  private static double runs(CatalogClient client, String outcome) throws Exception {
    return client.metric("orders_reconciler_runs_total", "outcome", outcome);
  }

  private static void await(String what, Callable<Boolean> condition) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    while (!condition.call()) {
      assertThat(Instant.now()).as("within 30 s: " + what).isBefore(deadline);
      Thread.sleep(50);
    }
  }
}

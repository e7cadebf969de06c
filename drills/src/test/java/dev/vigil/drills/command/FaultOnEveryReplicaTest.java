package dev.vigil.drills.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.drills.drill.Drill;
import dev.vigil.drills.drill.DrillFiles;
import dev.vigil.drills.fault.Fault;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackLayout;
import dev.vigil.stack.StackPorts;
import dev.vigil.stack.StackProfile;
import dev.vigil.stack.StackState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, proof 1: on the ha topology the catalog runs twice behind HAProxy, and a drill's admin
 * fault used to reach only catalog-1's admin API, so only half the catalog's traffic carried it.
 * Here two stand-in admin APIs on loopback play catalog-1 and catalog-2 of an ha stack recorded in
 * a state directory, and the fault is performed as {@code vigil drill run} performs it ({@link
 * DrillTarget#local}, then the plan's fault): set and cleared on both; a replica that refuses is
 * named, and never leaves the other holding the fault.
 */
class FaultOnEveryReplicaTest {

  private static final String TOKEN = "test-token";

  @TempDir Path stateDir;
  @TempDir Path drills;

  private final List<StandIn> replicas = new ArrayList<>();

  /** One replica's admin API: records each request; answers with the status it is told. */
  private static final class StandIn {
    final HttpServer server;
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    volatile int putStatus = 200;
    volatile int deleteStatus = 200;

    StandIn() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/admin/faults/",
          exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String body = new String(exchange.getRequestBody().readAllBytes(), UTF8);
            String method = exchange.getRequestMethod();
            requests.add(method + " " + exchange.getRequestURI() + " " + body);
            int status =
                !("Bearer " + TOKEN).equals(auth)
                    ? 401
                    : method.equals("PUT") ? putStatus : deleteStatus;
            byte[] answer =
                (status / 100 == 2
                        ? "{}"
                        : "{\"status\":" + status + ",\"detail\":\"stand-in refuses\"}")
                    .getBytes(UTF8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
          });
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  @BeforeEach
  void twoCatalogReplicasOfAnHaStack() throws IOException {
    replicas.add(new StandIn());
    replicas.add(new StandIn());
    StackPorts random = StackPorts.random(StackPorts.HA_NAMES);
    Map<String, Integer> more = new LinkedHashMap<>(random.more());
    more.put("catalog-admin-2", replicas.get(1).port());
    StackPorts ports =
        new StackPorts(
            random.catalog(),
            random.payments(),
            random.prometheus(),
            random.alertmanager(),
            random.receiver(),
            random.nodeExporter(),
            random.blackboxExporter(),
            random.traceBackend(),
            random.console(),
            replicas.get(0).port(),
            random.paymentsAdmin(),
            more);
    StackProfile ha = StackProfile.haTest();
    StackProfile profile =
        new StackProfile(
            ha.name(),
            ports,
            ha.scrapeIntervalSeconds(),
            ha.evaluationIntervalSeconds(),
            ha.forDivisor(),
            ha.forFloorSeconds(),
            ha.alertmanagerWaitSeconds(),
            ha.topology());
    // what ./vigil up --profile ha-test records: the state file and the token file
    StackLayout layout = new StackLayout(stateDir);
    Files.createDirectories(layout.stateFile().getParent());
    new ObjectMapper().writeValue(layout.stateFile().toFile(), new StackState(profile, List.of()));
    Files.writeString(layout.adminToken(), TOKEN + "\n");
  }

  @AfterEach
  void stop() {
    replicas.forEach(r -> r.server.stop(0));
  }

  private Fault latencyFault() throws IOException {
    Path file =
        Files.writeString(
            drills.resolve("replicated-latency.yaml"),
            """
            name: replicated-latency
            description: an admin fault on the catalog
            load:
              rate: 1
              mix:
                - path: /api/products
            fault:
              admin:
                service: catalog
                fault: http_latency
                target: /api/products
                params:
                  fixed_ms: 1500
                ttl: 10m
            expect:
              - alert: HighLatency
                severity: warning
                receiver: ticket
            """);
    Drill drill = DrillFiles.read(file);
    return DrillTarget.local(new LocalStack(new StackLayout(stateDir))).plan().faultOf(drill);
  }

  @Test
  void theFaultIsSetAndClearedOnEveryCatalogReplica() throws IOException {
    Fault fault = latencyFault();

    fault.inject();
    for (StandIn replica : replicas) {
      assertThat(replica.requests)
          .as("catalog replica on port %d after the fault was injected", replica.port())
          .singleElement()
          .asString()
          .startsWith("PUT /admin/faults/http_latency ")
          .contains("\"target\":\"/api/products\"", "\"fixed_ms\":1500", "\"ttl\":\"10m\"");
    }
    fault.recover();

    for (StandIn replica : replicas) {
      assertThat(replica.requests)
          .as("catalog replica on port %d after recovery", replica.port())
          .hasSize(2)
          .last()
          .isEqualTo("DELETE /admin/faults/http_latency?target=%2Fapi%2Fproducts ");
    }
  }

  @Test
  void aReplicaThatRefusesToClearIsNamedAndTheOtherIsClearedAnyway() throws IOException {
    Fault fault = latencyFault();
    fault.inject();
    replicas.get(0).deleteStatus = 503;

    assertThatThrownBy(fault::recover)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not cleared on 1 of 2 replicas of catalog")
        .hasMessageContaining("replica 1 of 2 of catalog")
        .hasMessageContaining("127.0.0.1:" + replicas.get(0).port())
        .hasMessageContaining("HTTP 503 stand-in refuses")
        .hasMessageNotContaining("127.0.0.1:" + replicas.get(1).port());
    assertThat(replicas.get(1).requests)
        .as("the second replica is cleared although the first refused")
        .last()
        .asString()
        .startsWith("DELETE /admin/faults/http_latency");
  }

  @Test
  void anUnreachableReplicaOnClearIsNamed() throws IOException {
    Fault fault = latencyFault();
    fault.inject();
    int port = replicas.get(1).port();
    replicas.get(1).server.stop(0);

    assertThatThrownBy(fault::recover)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("replica 2 of 2 of catalog")
        .hasMessageContaining("127.0.0.1:" + port + " unreachable");
    assertThat(replicas.get(0).requests).last().asString().startsWith("DELETE ");
  }

  @Test
  void aReplicaThatRefusesTheFaultIsNamedAndTheFaultIsClearedAgainWhereItWasSet()
      throws IOException {
    Fault fault = latencyFault();
    replicas.get(1).putStatus = 409;

    assertThatThrownBy(fault::inject)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fault http_latency not set on replica 2 of 2 of catalog")
        .hasMessageContaining("HTTP 409 stand-in refuses")
        .hasMessageContaining("cleared again on replica 1 of 2 of catalog");
    assertThat(replicas.get(0).requests)
        .as("no replica is left holding a fault the other refused")
        .hasSize(2)
        .last()
        .asString()
        .startsWith("DELETE /admin/faults/http_latency");
  }
}

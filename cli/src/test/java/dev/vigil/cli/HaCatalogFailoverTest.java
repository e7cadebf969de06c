package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.catalog.CatalogCommand;
import dev.vigil.payments.PaymentsCommand;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.ServiceCommands;
import dev.vigil.stack.StackLayout;
import dev.vigil.stack.StackProfile;
import dev.vigil.stack.command.ReceiverCommand;
import dev.vigil.stack.process.ServiceProcess;
import dev.vigil.stack.receiver.Notification;
import dev.vigil.stack.receiver.NotificationLog;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proof 4 of issue 23: one catalog replica of the ha topology SIGKILLed under order traffic. The
 * real catalog twice (on the stack's PostgreSQL), the real payment provider, HAProxy, vmagent,
 * VictoriaMetrics, vmalert and clustered Alertmanagers ({@code ha-test} profile: random ports,
 * scrape and evaluation every second, ServiceDown's {@code for} 10 s).
 *
 * <p>Stated bounds, from the rendered configs: HAProxy checks {@code /readyz} every second and
 * takes a replica out after 2 failed checks (each fails at once: connection refused, at most {@code
 * timeout check 1s}), so it stops routing to the dead replica within 3 s; until then a request
 * whose connection is refused is redispatched to the live replica ({@code option redispatch}), so
 * the only requests that can fail are those in flight on the replica when it died: at most the
 * client's concurrency. ServiceDown for that instance is notified within its {@code for} plus the
 * lateness of {@code HaAlertingTest}. Every order acknowledged (201 or 202) is found afterwards.
 */
class HaCatalogFailoverTest {

  private static final Path DEPLOY =
      Path.of(System.getProperty("vigil.root", "..")).resolve("deploy");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Order clients running at once: the most requests the killed replica can hold in flight. */
  private static final int CLIENTS = 4;

  /** 2 failed health checks 1 s apart, each taking at most the 1 s check timeout. */
  private static final Duration ROUTING_BOUND = Duration.ofSeconds(3);

  /** ServiceDown's {@code for} under the test profile (2m / 30, at least 10 s). */
  private static final Duration SERVICE_DOWN_FOR = Duration.ofSeconds(10);

  /** A scrape, two evaluations, group_wait, the peer timeout and 8 s for a shared machine. */
  private static final Duration LATENESS = Duration.ofSeconds(14);

  private static Path stateDir;
  private static LocalStack stack;

  @BeforeAll
  static void up() throws IOException {
    // PostgreSQL runs as another user when the tests run as root: it must reach its data directory
    stateDir =
        Files.createTempDirectory(
            "vigil-ha-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    stack = new LocalStack(new StackLayout(stateDir));
    LocalStack.UpResult up =
        stack.up(
            DEPLOY,
            StackProfile.haTest(),
            new ServiceCommands(
                ServiceProcess.javaCommand(CatalogCommand.class.getName()),
                ServiceCommands.lightJvm(
                    ServiceProcess.javaCommand(PaymentsCommand.class.getName())),
                ServiceCommands.lightJvm(
                    ServiceProcess.javaCommand(ReceiverCommand.class.getName())),
                List.of()),
            line -> System.out.println(Instant.now() + " " + line));
    assertThat(up.missing())
        .as("binaries missing on PATH; install with: %s", up.installCommand())
        .isEmpty();
  }

  @AfterAll
  static void down() throws IOException {
    if (stack != null) {
      stack.down(System.out::println);
    }
    // the state directory (PostgreSQL's and VictoriaMetrics' data among it) is not a @TempDir:
    // PostgreSQL needs it readable by its own user
    if (stateDir == null) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.walk(stateDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  /** One answer to a client: when it came, its status (0: no HTTP answer) and the order id. */
  record Answer(Instant at, int status, Optional<Long> orderId) {}

  @Test
  void oneCatalogReplicaKilledUnderTrafficIsTakenOutAlertedAndLosesNoAcknowledgedOrder()
      throws Exception {
    URI front = stack.url(dev.vigil.stack.Component.CATALOG);
    Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong next = new AtomicLong();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    for (int i = 0; i < CLIENTS; i++) {
      clients.submit(
          () -> {
            while (running.get()) {
              answers.add(placeOrder(front, 1 + next.getAndIncrement() % 100));
            }
            return null;
          });
    }
    Thread.sleep(5000);
    assertThat(backendStatus(front, "catalog-2")).startsWith("UP");
    long served = answers.stream().filter(a -> a.status() == 201 || a.status() == 202).count();
    assertThat(served).as("orders acknowledged before the kill").isPositive();

    int port = stack.profile().ports().more("catalog-2");
    Instant since = Instant.now();
    ProcessHandle replica = ProcessHandle.of(stack.pid("catalog-2")).orElseThrow();
    replica.destroyForcibly();
    replica.onExit().get();
    Instant killed = Instant.now();

    Instant down = null;
    while (down == null && Duration.between(killed, Instant.now()).toSeconds() < 30) {
      if (backendStatus(front, "catalog-2").startsWith("DOWN")) {
        down = Instant.now();
      }
      Thread.sleep(50);
    }
    assertThat(down).as("HAProxy took catalog-2 out").isNotNull();
    Duration routing = Duration.between(killed, down);

    NotificationLog log = new NotificationLog(stack.layout().notifications());
    Notification alert = null;
    while (alert == null && Duration.between(killed, Instant.now()).toSeconds() < 60) {
      alert =
          log.readAll().stream()
              .filter(n -> n.receivedAt().isAfter(since))
              .filter(n -> n.is("ServiceDown", Notification.FIRING))
              .filter(n -> ("127.0.0.1:" + port).equals(n.labels().get("instance")))
              .findFirst()
              .orElse(null);
      Thread.sleep(200);
    }
    running.set(false);
    clients.shutdown();
    assertThat(clients.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    List<Answer> all = new ArrayList<>(answers);
    Instant settled = down;
    List<Answer> after = all.stream().filter(a -> a.at().isAfter(killed)).toList();
    long failedAfterKill = after.stream().filter(a -> a.status() == 0 || a.status() >= 500).count();
    long failedOnceDown =
        after.stream()
            .filter(a -> a.at().isAfter(settled))
            .filter(a -> a.status() == 0 || a.status() >= 500)
            .count();
    List<Long> acknowledged =
        all.stream()
            .filter(a -> a.status() == 201 || a.status() == 202)
            .flatMap(a -> a.orderId().stream())
            .toList();
    List<Long> lost = new ArrayList<>();
    for (long id : acknowledged) {
      HttpResponse<String> order =
          HTTP.send(
              HttpRequest.newBuilder(front.resolve("/api/orders/" + id)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (order.statusCode() != 200) {
        lost.add(id);
      }
    }
    System.out.printf(
        "proof 4: catalog-2 SIGKILLed; HAProxy took it out %s later; ServiceDown for it notified"
            + " %s later; %d requests answered after the kill, %d failed (%d after HAProxy took it"
            + " out); %d acknowledged orders, %d lost%n",
        routing,
        alert == null ? "never" : Duration.between(killed, alert.receivedAt()),
        after.size(),
        failedAfterKill,
        failedOnceDown,
        acknowledged.size(),
        lost.size());

    assertThat(routing).as("time until HAProxy stops routing").isLessThanOrEqualTo(ROUTING_BOUND);
    assertThat(failedAfterKill)
        .as("requests failed: only those in flight on the killed replica")
        .isLessThanOrEqualTo(CLIENTS);
    assertThat(failedOnceDown).as("requests failed once HAProxy took the replica out").isZero();
    assertThat(alert).as("ServiceDown for 127.0.0.1:%d", port).isNotNull();
    assertThat(Duration.between(killed, alert.receivedAt()))
        .isBetween(SERVICE_DOWN_FOR, SERVICE_DOWN_FOR.plus(LATENESS));
    assertThat(lost).as("acknowledged orders not found afterwards").isEmpty();
  }

  private static Answer placeOrder(URI front, long productId) {
    HttpRequest request =
        HttpRequest.newBuilder(front.resolve("/api/orders"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"items\":[{\"product_id\":" + productId + ",\"quantity\":1}]}"))
            .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      Optional<Long> id = Optional.empty();
      if (response.statusCode() == 201 || response.statusCode() == 202) {
        JsonNode order = JSON.readTree(response.body());
        id = Optional.of(order.path("id").asLong());
      }
      return new Answer(Instant.now(), response.statusCode(), id);
    } catch (IOException e) {
      return new Answer(Instant.now(), 0, Optional.empty());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(Instant.now(), 0, Optional.empty());
    }
  }

  /**
   * The status column of one server in HAProxy's statistics (CSV), e.g. {@code UP}, {@code DOWN}.
   */
  private static String backendStatus(URI front, String server) throws Exception {
    String csv =
        HTTP.send(
                HttpRequest.newBuilder(front.resolve("/haproxy/stats;csv")).GET().build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    String[] header = csv.lines().findFirst().orElseThrow().replaceFirst("^# ", "").split(",");
    int name = List.of(header).indexOf("svname");
    int status = List.of(header).indexOf("status");
    return csv.lines()
        .map(l -> l.split(","))
        .filter(f -> f.length > status && f[name].equals(server))
        .map(f -> f[status])
        .findFirst()
        .orElseThrow(() -> new AssertionError(server + " not in HAProxy's statistics:\n" + csv));
  }
}

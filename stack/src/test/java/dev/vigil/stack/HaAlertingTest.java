package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.stack.receiver.Notification;
import dev.vigil.stack.receiver.NotificationLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The ha topology's alerting path proven by killing one replica of each kind, on one stack started
 * once ({@code ha-test} profile: scrape and evaluation every second, {@code for} divided by 30 with
 * a 10 s floor, Alertmanager waits of 1 s, peer timeout 2 s), with stand-in services as catalog and
 * payments and the real PostgreSQL, VictoriaMetrics, vmagent, vmalert, Alertmanager and HAProxy.
 * The alert raised is the real ServiceDown rule, by stopping the payment provider; what counts is
 * what reaches vigil's alert receiver.
 *
 * <p>Proofs of issue 23: 2 (one Alertmanager killed mid-incident: exactly one notification per
 * alert group, firing and resolved), 3 (one vmalert killed: alerts still fire and resolve on time,
 * and the lost twin is a ticket, AlertingReplicaDown), 5 (one scraper killed: its loss is alerted,
 * ScraperDown).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaAlertingTest {

  private static final Path DEPLOY =
      Path.of(System.getProperty("vigil.root", "..")).resolve("deploy");

  /** ServiceDown's {@code for} under the test profile: 2m / 30, at least 10 s. */
  private static final Duration SERVICE_DOWN_FOR = Duration.ofSeconds(10);

  /** ScraperDown's {@code for} under the test profile: 1m / 30, at least 10 s. */
  private static final Duration SCRAPER_DOWN_FOR = Duration.ofSeconds(10);

  /**
   * How late a notification may be after its rule's {@code for} has elapsed and still be on time: a
   * scrape (1 s), two evaluations (1 s each: the one that starts the alert pending and the one that
   * fires it), Alertmanager's group_wait (1 s), the cluster's peer timeout (2 s, when the sending
   * Alertmanager is second in the cluster) and 8 s for a machine shared with other builds.
   */
  private static final Duration LATENESS = Duration.ofSeconds(1 + 2 + 1 + 2 + 8);

  /**
   * How long a resolution may take once the cause is gone: a scrape, an evaluation, Alertmanager's
   * group_interval (1 s each), the peer timeout (2 s) and the same 8 s.
   */
  private static final Duration RESOLVE_BOUND = Duration.ofSeconds(1 + 1 + 1 + 2 + 8);

  /**
   * A duplicate from the second Alertmanager would come within its peer timeout (2 s) plus a
   * group_interval; a legitimate repeat only after repeat_interval (10 s): a second firing
   * notification inside this window is a duplicate.
   */
  private static final Duration DUPLICATE_WINDOW = Duration.ofSeconds(9);

  private Path stateDir;
  private LocalStack stack;
  private LocalStack.UpResult up;
  private NotificationLog notifications;

  @BeforeAll
  void up() throws IOException {
    // PostgreSQL runs as another user when the tests run as root: it must reach its data directory
    stateDir =
        Files.createTempDirectory(
            "vigil-ha-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    stack = new LocalStack(new StackLayout(stateDir));
    notifications = new NotificationLog(stack.layout().notifications());
    up = stack.up(DEPLOY, StackProfile.haTest(), StandInService.commands(), System.out::println);
  }

  @AfterAll
  void down() throws IOException {
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

  @Test
  @Order(1)
  void upStartsEveryReplicaAndStatusListsEachOne() {
    assertThat(up.missing())
        .as("binaries missing on PATH; install with: %s", up.installCommand())
        .isEmpty();
    List<ComponentStatus> statuses = stack.status();
    assertThat(statuses.stream().filter(ComponentStatus::running).map(ComponentStatus::id))
        .containsExactlyInAnyOrder(
            "receiver",
            "postgres",
            "victoria-metrics",
            "payments",
            "catalog-1",
            "catalog-2",
            "haproxy",
            "node_exporter",
            "blackbox_exporter",
            "alertmanager-1",
            "alertmanager-2",
            "vmagent-1",
            "vmagent-2",
            "vmalert-1",
            "vmalert-2");
    assertThat(statuses)
        .filteredOn(ComponentStatus::running)
        .allSatisfy(
            s -> assertThat(s.ready()).as("%s ready at %s", s.id(), s.readiness()).isTrue());
  }

  /** Proof 2. */
  @Test
  @Order(2)
  void oneAlertmanagerKilledMidIncidentStillExactlyOneNotificationPerGroup() throws Exception {
    Instant since = Instant.now();
    Instant outage = stopPayments();
    Notification firing = await(since, serviceDown(Notification.FIRING), Duration.ofSeconds(60));
    Duration detection = Duration.between(outage, firing.receivedAt());
    // mid-incident: the firing notification went out (its record gossiped for a second), the
    // resolution has not; SIGKILL, no graceful leave from the cluster
    Thread.sleep(1000);
    kill("alertmanager-1");
    Instant back = startPayments();
    Notification resolved =
        await(since, serviceDown(Notification.RESOLVED), Duration.ofSeconds(60));
    // a duplicate from the other Alertmanager would come within its peer timeout: wait it out
    Thread.sleep(DUPLICATE_WINDOW.toMillis());

    List<Notification> all = notifications.readAll();
    long firingInWindow =
        all.stream()
            .filter(n -> n.receivedAt().isAfter(since))
            .filter(serviceDown(Notification.FIRING))
            .filter(n -> n.receivedAt().isBefore(firing.receivedAt().plus(DUPLICATE_WINDOW)))
            .count();
    long resolvedCount =
        all.stream()
            .filter(n -> n.receivedAt().isAfter(since))
            .filter(serviceDown(Notification.RESOLVED))
            .count();
    System.out.printf(
        "proof 2: ServiceDown notified %s after the outage, resolved %s after payments was back;"
            + " alertmanager-1 killed in between%n",
        detection, Duration.between(back, resolved.receivedAt()));
    assertThat(firingInWindow).as("firing notifications of the ServiceDown group").isEqualTo(1);
    assertThat(resolvedCount)
        .as("resolved notifications of the ServiceDown group, sent by the surviving Alertmanager")
        .isEqualTo(1);
    assertThat(detection).isLessThanOrEqualTo(SERVICE_DOWN_FOR.plus(LATENESS));
    assertThat(Duration.between(back, resolved.receivedAt())).isLessThanOrEqualTo(RESOLVE_BOUND);
    stack.start("alertmanager-1");
  }

  /** Proof 3. */
  @Test
  @Order(3)
  void oneVmalertKilledAlertsStillFireAndResolveOnTime() throws Exception {
    int port = stack.profile().ports().more("vmalert-1");
    Instant killed = kill("vmalert-1");
    Instant since = Instant.now();
    Instant outage = stopPayments();
    Notification firing = await(since, serviceDown(Notification.FIRING), Duration.ofSeconds(60));
    Instant back = startPayments();
    Notification resolved =
        await(since, serviceDown(Notification.RESOLVED), Duration.ofSeconds(60));

    Duration detection = Duration.between(outage, firing.receivedAt());
    Duration resolution = Duration.between(back, resolved.receivedAt());
    System.out.printf(
        "proof 3: with vmalert-1 killed, ServiceDown notified %s after the outage (its for: %s),"
            + " resolved %s after payments was back%n",
        detection, SERVICE_DOWN_FOR, resolution);
    assertThat(detection)
        .as("the rule's for, then a scrape, two evaluations and the Alertmanager waits")
        .isBetween(SERVICE_DOWN_FOR, SERVICE_DOWN_FOR.plus(LATENESS));
    assertThat(resolution).isLessThanOrEqualTo(RESOLVE_BOUND);
    // and the lost redundancy is a ticket (AlertingReplicaDown: for 5m, 10 s in this profile)
    Notification replicaDown =
        await(
            killed,
            n ->
                n.is("AlertingReplicaDown", Notification.FIRING)
                    && ("127.0.0.1:" + port).equals(n.labels().get("instance")),
            Duration.ofSeconds(60));
    assertThat(replicaDown.receiver()).isEqualTo("ticket");
    assertThat(Duration.between(killed, replicaDown.receivedAt()))
        .isBetween(Duration.ofSeconds(10), Duration.ofSeconds(10).plus(LATENESS));
    stack.start("vmalert-1");
  }

  /** Proof 5. */
  @Test
  @Order(4)
  void oneScraperKilledItsLossIsAlertedNotSilentlyAbsent() throws Exception {
    int port = stack.profile().ports().more("vmagent-2");
    Predicate<Notification> scraperDown =
        n ->
            "ScraperDown".equals(n.alertname())
                && ("127.0.0.1:" + port).equals(n.labels().get("instance"));
    Instant since = Instant.now();
    Instant killed = kill("vmagent-2");
    Notification firing =
        await(
            since,
            scraperDown.and(n -> n.status().equals(Notification.FIRING)),
            Duration.ofSeconds(60));
    stack.start("vmagent-2");
    Instant back = Instant.now();
    Notification resolved =
        await(
            since,
            scraperDown.and(n -> n.status().equals(Notification.RESOLVED)),
            Duration.ofSeconds(60));

    Duration detection = Duration.between(killed, firing.receivedAt());
    System.out.printf(
        "proof 5: vmagent-2 killed, ScraperDown notified %s later (its for: %s), resolved %s"
            + " after it was back%n",
        detection, SCRAPER_DOWN_FOR, Duration.between(back, resolved.receivedAt()));
    assertThat(firing.severity()).isEqualTo("critical");
    assertThat(firing.receiver()).isEqualTo("pager");
    assertThat(detection).isBetween(SCRAPER_DOWN_FOR, SCRAPER_DOWN_FOR.plus(LATENESS));
  }

  private static Predicate<Notification> serviceDown(String status) {
    return n -> n.is("ServiceDown", status) && "payments".equals(n.service());
  }

  private Instant stopPayments() {
    assertThat(stack.stop("payments")).as("payments was running").isPositive();
    return Instant.now();
  }

  private Instant startPayments() {
    stack.start("payments");
    return Instant.now();
  }

  /** SIGKILL, no graceful shutdown; returns when the process is gone. */
  private Instant kill(String id) throws Exception {
    long pid = stack.pid(id);
    assertThat(pid).as("%s running", id).isPositive();
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
    process.destroyForcibly();
    process.onExit().get();
    return Instant.now();
  }

  private Notification await(Instant since, Predicate<Notification> wanted, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      for (Notification n : notifications.readAll()) {
        if (n.receivedAt().isAfter(since) && wanted.test(n)) {
          return n;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "no such notification within "
            + timeout
            + "; the receiver got: "
            + notifications.readAll().stream()
                .filter(n -> n.receivedAt().isAfter(since))
                .map(Notification::summaryLine)
                .toList());
  }
}

package dev.vigil.stack.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real processes: one that exits, one that never gets ready, one that is ready. */
class ServiceProcessTest {

  @Test
  void aServiceThatExitsBeforeItIsReadyIsReportedAsExited() throws Exception {
    try (ServiceProcess service = ServiceProcess.start(new ProcessBuilder("sh", "-c", "exit 3"))) {
      assertThat(service.awaitReady(() -> false, Duration.ofSeconds(30)))
          .isEqualTo(ServiceProcess.Readiness.EXITED);
      assertThat(service.process().exitValue()).isEqualTo(3);
    }
  }

  @Test
  void aServiceThatNeverGetsReadyTimesOutAndIsStoppedByClose() throws Exception {
    ServiceProcess service = ServiceProcess.start(new ProcessBuilder("sleep", "60"));
    assertThat(service.awaitReady(() -> false, Duration.ofMillis(300)))
        .isEqualTo(ServiceProcess.Readiness.TIMED_OUT);
    assertThat(service.sinceStart()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(service.process().isAlive()).as("a timed-out service keeps running").isTrue();

    service.close();

    assertThat(service.process().isAlive()).as("alive after close (SIGTERM)").isFalse();
  }

  @Test
  void aServiceIsReadyOnceItsConditionHolds() throws Exception {
    long readyAfter = System.nanoTime() + Duration.ofMillis(200).toNanos();
    try (ServiceProcess service = ServiceProcess.start(new ProcessBuilder("sleep", "60"))) {
      assertThat(
              service.awaitReady(() -> System.nanoTime() - readyAfter >= 0, Duration.ofSeconds(30)))
          .isEqualTo(ServiceProcess.Readiness.READY);
      assertThat(service.sinceStart()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }
  }

  @Test
  void theJavaCommandRunsAMainClassWithThisClassPathMadeAbsolute() {
    List<String> command = ServiceProcess.javaCommand("dev.vigil.Example", "--port", "0");

    assertThat(command.get(0)).endsWith("/bin/java");
    assertThat(command.get(1)).isEqualTo("-cp");
    assertThat(command.get(2).split(java.io.File.pathSeparator))
        .allSatisfy(p -> assertThat(p).startsWith("/"));
    assertThat(command.subList(3, command.size()))
        .containsExactly("dev.vigil.Example", "--port", "0");
  }
}

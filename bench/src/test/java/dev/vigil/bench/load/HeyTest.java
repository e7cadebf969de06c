package dev.vigil.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Runs the real hey, rate-limited, against a local server and reads its summary. */
class HeyTest {

  @Test
  void sendsNoMoreThanTheTargetRateAndReportsPercentiles() throws Exception {
    try (LocalServer server = new LocalServer()) {
      LoadResult result =
          new Hey().run(server.url("/api/products/42"), 4, 100, Duration.ofSeconds(2));

      assertThat(result.requests()).isPositive().isLessThanOrEqualTo(2 * 100 + 4);
      assertThat(result.p99Millis()).isGreaterThanOrEqualTo(result.p50Millis()).isPositive();
      assertThat(result.errors()).isZero();
    }
  }

  @Test
  void closedLoopSendsWithoutARateLimit() throws Exception {
    try (LocalServer server = new LocalServer()) {
      LoadResult result =
          new Hey().runClosedLoop(server.url("/api/products/42"), 2, Duration.ofSeconds(1));

      assertThat(result.requests()).isPositive();
      assertThat(result.errors()).isZero();
    }
    assertThat(
            new Hey()
                .closedLoopCommand(
                    java.net.URI.create("http://127.0.0.1:1/"), 64, Duration.ofSeconds(4)))
        .containsSequence("-z", "4s", "-c", "64")
        .doesNotContain("-q");
  }

  @Test
  void theCommandSplitsTheRateOverTheWorkers() {
    assertThat(
            new Hey()
                .command(
                    java.net.URI.create("http://127.0.0.1:1/"), 32, 8000, Duration.ofSeconds(5)))
        .containsSequence("-c", "32", "-q", "250.00");
  }
}

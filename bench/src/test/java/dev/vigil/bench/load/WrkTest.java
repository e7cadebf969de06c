package dev.vigil.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real wrk against a local server and reads its report. */
class WrkTest {

  private final Wrk wrk = new Wrk(2);

  @Test
  void measuresThroughputLatencyAndItsOwnCpu() throws Exception {
    try (LocalServer server = new LocalServer()) {
      LoadResult result = wrk.run(server.url("/api/products/42"), 4, Duration.ofSeconds(1), null);

      assertThat(result.requests()).isPositive();
      assertThat(result.requestsPerSecond()).isPositive();
      assertThat(result.p50Millis()).isPositive();
      assertThat(result.p99Millis()).isGreaterThanOrEqualTo(result.p50Millis());
      assertThat(result.errors()).isZero();
      assertThat(result.generatorCpuSeconds()).isPositive();
    }
  }

  @Test
  void countsNon2xxResponsesAsErrors() throws Exception {
    try (LocalServer server = new LocalServer()) {
      LoadResult result = wrk.run(server.url("/missing"), 2, Duration.ofSeconds(1), null);

      assertThat(result.errors()).isEqualTo(result.requests()).isPositive();
    }
  }

  @Test
  void theRequestMixScriptSendsAll200Requests(@TempDir Path dir) throws Exception {
    Path script = RequestMix.writeWrkScript(dir.resolve("mix.lua"));
    try (LocalServer server = new LocalServer()) {
      wrk.run(server.url("/"), 2, Duration.ofSeconds(1), script);

      assertThat(server.requestLines())
          .hasSize(200)
          .contains(
              "GET /api/products/1",
              "BREW /api/products/1",
              "POST /api/orders {\"items\":[],\"attempt\":2}",
              "GET /data/error");
    }
  }
}

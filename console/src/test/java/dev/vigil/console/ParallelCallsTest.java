package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Independent calls of one page run at once, answers in call order, the first failure reported. */
class ParallelCallsTest {

  @Test
  void aPagesCallsRunAtOnceSoItWaitsForTheSlowestNotTheSum() throws Exception {
    // each call waits until all three have started: run one after another, none could finish
    CountDownLatch started = new CountDownLatch(3);
    List<ParallelCalls.Call<String>> calls =
        List.of("targets", "alerts", "budget").stream()
            .map(
                name ->
                    (ParallelCalls.Call<String>)
                        () -> {
                          started.countDown();
                          try {
                            if (!started.await(30, TimeUnit.SECONDS)) {
                              throw new IOException(name + " ran alone: the calls were serial");
                            }
                          } catch (InterruptedException e) {
                            throw new IOException(e);
                          }
                          return name;
                        })
            .toList();
    assertThat(ParallelCalls.all(calls)).containsExactly("targets", "alerts", "budget");
  }

  @Test
  void theFirstFailureInCallOrderIsThrownAfterEveryCallHasEnded() {
    AtomicInteger ended = new AtomicInteger();
    List<ParallelCalls.Call<String>> calls =
        List.of(
            () -> {
              ended.incrementAndGet();
              return "ok";
            },
            () -> {
              ended.incrementAndGet();
              throw new IOException("Prometheus at http://127.0.0.1:9 answered HTTP 503");
            },
            () -> {
              LockSupport.parkNanos(200_000_000L);
              ended.incrementAndGet();
              throw new IOException("a later failure");
            });
    assertThatThrownBy(() -> ParallelCalls.all(calls))
        .isInstanceOf(IOException.class)
        .hasMessage("Prometheus at http://127.0.0.1:9 answered HTTP 503");
    assertThat(ended).hasValue(3);
  }
}

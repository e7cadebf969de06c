package dev.vigil.telemetry.profiling;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profile's allocation figure is checked against the JVM's own allocation counter for the same
 * thread over the same window ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}, the
 * counter behind {@code jvm_memory_pool_allocated_bytes_total}).
 *
 * <p>A JFR {@code jdk.ObjectAllocationSample}'s weight is the bytes its thread allocated since that
 * thread's previous sample; a thread's first sample in a recording therefore weighs everything the
 * thread allocated before the recording began. A long-lived server thread made the profile page's
 * figure 30-70x the JVM's counter (issue 27, item 10).
 */
class AllocationFigureTest {

  private static volatile byte[] sink;

  @Test
  void theAllocatedBytesOfARecordingAreThoseTheJvmCountedInItsWindow(@TempDir Path dir)
      throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[] during = new long[1];
    Path file = dir.resolve("alloc.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ObjectAllocationSample").with("throttle", "1000/s").withStackTrace();
      // the worker allocates 400 MB, then the recording starts, then it allocates 40 MB more
      Object gate = new Object();
      Thread allocator =
          new Thread(
              () -> {
                allocate(400L << 20);
                synchronized (gate) {
                  gate.notifyAll();
                  try {
                    gate.wait();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                }
                long before = threads.getCurrentThreadAllocatedBytes();
                allocate(40L << 20);
                during[0] = threads.getCurrentThreadAllocatedBytes() - before;
              },
              "allocator");
      synchronized (gate) {
        allocator.start();
        gate.wait();
        recording.start();
        gate.notifyAll();
      }
      allocator.join();
      recording.stop();
      recording.dump(file);
    }

    ProfileSummary summary = ProfileSummary.read(file, List.of("dev.vigil."));
    long figure = summary.allocatedBytes();

    assertThat(during[0]).isBetween(40L << 20, 48L << 20);
    // JFR samples allocations, so its estimate is close to, not equal to, the counter: within 2x
    // either way, far from the 10x that counting the 400 MB before the recording would give
    assertThat((double) figure / during[0])
        .as("profile figure %,d B against the JVM's %,d B", figure, during[0])
        .isBetween(0.5, 2.0);
    // the recording had no CPU samples: its CPU tables rank nothing, and say so
    assertThat(summary.cpuCaution())
        .isEqualTo(
            "Too few to rank methods: 0 samples (fewer than 100; profile longer or under load).");
    assertThat(summary.toMarkdown("t"))
        .contains("0 samples (`jdk.ExecutionSample`). Too few to rank");
  }

  /** Allocates in 64 KiB arrays, pausing 2 ms after each MiB so that JFR's throttle samples it. */
  private static void allocate(long bytes) {
    for (long done = 0; done < bytes; done += 64 * 1024) {
      sink = new byte[64 * 1024];
      if (done % (1 << 20) == 0) {
        LockSupport.parkNanos(2_000_000);
      }
    }
  }
}

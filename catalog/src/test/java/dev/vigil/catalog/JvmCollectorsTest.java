package dev.vigil.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.metrics.JvmCollectors;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The catalog's /metrics carries the same JVM and process families as the client's JvmMetrics. */
class JvmCollectorsTest {

  @Test
  void theSameFamiliesAsJvmMetricsWithoutNativeMemoryTracking() {
    PrometheusRegistry ours = new PrometheusRegistry();
    JvmCollectors.register(ours);
    PrometheusRegistry reference = new PrometheusRegistry();
    JvmMetrics.builder().register(reference);

    assertThat(families(ours))
        .contains("jvm_memory_used_bytes", "jvm_threads_current", "process_cpu_seconds")
        .isEqualTo(families(reference));
  }

  private static Set<String> families(PrometheusRegistry registry) {
    return registry.scrape().stream()
        .map(s -> s.getMetadata().getPrometheusName())
        .collect(Collectors.toSet());
  }
}

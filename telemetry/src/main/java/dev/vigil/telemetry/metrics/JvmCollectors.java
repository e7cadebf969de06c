package dev.vigil.telemetry.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The JVM and process metrics of the Prometheus Java client ({@code jvm_*}, {@code process_*}), as
 * {@code JvmMetrics.builder().register(registry)} registers them, minus one probe that costs start
 * time and yields nothing by default.
 *
 * <p>{@code jvm_native_memory_*} only has data when the JVM runs with {@code
 * -XX:NativeMemoryTracking=summary} or {@code detail}. Probing for it otherwise still creates the
 * platform MBean server and its diagnostic commands: 0.2 to 0.3 s of a service's start on a 2-core
 * machine, for no series. So those collectors are registered only when tracking is on.
 */
public final class JvmCollectors {

  private JvmCollectors() {}

  /**
   * Registers the JVM and process collectors; call once per registry.
   *
   * @param registry the registry scraped by {@code /metrics}
   */
  public static void register(PrometheusRegistry registry) {
    JvmThreadsMetrics.builder().register(registry);
    JvmBufferPoolMetrics.builder().register(registry);
    JvmClassLoadingMetrics.builder().register(registry);
    JvmCompilationMetrics.builder().register(registry);
    JvmGarbageCollectorMetrics.builder().register(registry);
    JvmMemoryPoolAllocationMetrics.builder().register(registry);
    JvmMemoryMetrics.builder().register(registry);
    JvmRuntimeInfoMetric.builder().register(registry);
    ProcessMetrics.builder().register(registry);
    if (nativeMemoryTracked(ManagementFactory.getRuntimeMXBean().getInputArguments())) {
      JvmNativeMemoryMetrics.builder().register(registry);
    }
  }

  /**
   * Whether the JVM's options turn native memory tracking on.
   *
   * @param jvmOptions the JVM's input arguments, e.g. {@code [-Xmx128m,
   *     -XX:NativeMemoryTracking=summary]}
   * @return true when the last {@code -XX:NativeMemoryTracking=} option is {@code summary} or
   *     {@code detail}
   */
  static boolean nativeMemoryTracked(List<String> jvmOptions) {
    boolean tracked = false;
    for (String option : jvmOptions) {
      if (option.startsWith("-XX:NativeMemoryTracking=")) {
        String mode = option.substring("-XX:NativeMemoryTracking=".length());
        tracked = mode.equals("summary") || mode.equals("detail");
      }
    }
    return tracked;
  }
}

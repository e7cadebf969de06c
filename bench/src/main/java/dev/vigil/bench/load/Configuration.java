package dev.vigil.bench.load;

/**
 * The service configurations the bench compares: vigil's catalog with each instrumentation layer
 * switched on in turn ({@code VIGIL_TELEMETRY}), and the Spring Boot peer. The first, {@link
 * #NONE}, is the baseline every ratio is taken against.
 */
public enum Configuration {
  /** vigil without instrumentation. */
  NONE("a", "(a) none", "none"),
  /** vigil with its RED metrics. */
  METRICS("b", "(b) metrics", "metrics"),
  /** vigil with metrics and the access log. */
  ACCESS_LOG("c", "(c) metrics + access log", "metrics,access-log"),
  /** vigil with every layer: metrics, access log, tracing (every trace recorded). */
  ALL("d", "(d) everything", "metrics,access-log,tracing"),
  /**
   * {@link #ALL} with the head sampling Spring Boot's peer has by default: 10% of new traces
   * recorded, the others still carrying trace ids in logs and headers.
   */
  SAMPLED("e", "(e) everything, 10% of traces sampled", "metrics,access-log,tracing"),
  /** The Spring Boot 4 + Actuator + Micrometer peer (bench/peers/spring-catalog). */
  SPRING("spring", "Spring Boot", "");

  private final String key;
  private final String label;
  private final String telemetry;

  Configuration(String key, String label, String telemetry) {
    this.key = key;
    this.label = label;
    this.telemetry = telemetry;
  }

  /** The short name in log file names, e.g. {@code a} or {@code spring}. */
  public String key() {
    return key;
  }

  /** What the report's tables show, e.g. {@code (b) metrics}. */
  public String label() {
    return label;
  }

  /** The {@code VIGIL_TELEMETRY} value of a vigil configuration; empty for the Spring peer. */
  public String telemetry() {
    return telemetry;
  }
}

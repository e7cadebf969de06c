package dev.vigil.catalog.db;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * The database statement metrics: {@code db_query_duration_seconds{query}}, {@code
 * db_slow_queries_total{query}} and {@code db_errors_total{error_type}}.
 *
 * <p>{@code query} is a fixed statement name (never SQL text); {@code error_type} comes from a
 * closed set derived from the SQLSTATE class (SQL:2011 / PostgreSQL appendix A), so neither label
 * grows with traffic.
 */
public final class QueryMetrics {

  final Histogram duration;
  final Counter slow;
  private final Counter errors;

  /**
   * @param registry where the three metrics are registered
   */
  public QueryMetrics(PrometheusRegistry registry) {
    duration =
        Histogram.builder()
            .name("db_query_duration_seconds")
            .help("Duration of named database statements, in seconds")
            .labelNames("query")
            .classicOnly()
            .classicUpperBounds(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10)
            .register(registry);
    slow =
        Counter.builder()
            .name("db_slow_queries_total")
            .help("Named statements slower than VIGIL_SLOW_QUERY")
            .labelNames("query")
            .register(registry);
    errors =
        Counter.builder()
            .name("db_errors_total")
            .help("Failed database operations by error type")
            .labelNames("error_type")
            .register(registry);
    // every series from the start, at 0, as the HTTP series are: rate() and absent() see them
    // before
    // the first error
    for (String type : ERROR_TYPES) {
      errors.labelValues(type);
    }
  }

  /** Every value of {@code db_errors_total}'s label {@code error_type}. */
  public static final java.util.List<String> ERROR_TYPES =
      java.util.List.of(
          "pool_timeout",
          "connection",
          "constraint",
          "conflict",
          "timeout",
          "shutdown",
          "syntax",
          "other");

  /**
   * Counts one failed database operation.
   *
   * @param e the failure
   */
  public void recordError(SQLException e) {
    errors.labelValues(errorType(e)).inc();
  }

  /**
   * Classifies a failure into a bounded label value.
   *
   * @param e the failure
   * @return one of {@code pool_timeout}, {@code connection}, {@code constraint}, {@code conflict},
   *     {@code timeout}, {@code shutdown}, {@code syntax}, {@code other}
   */
  static String errorType(SQLException e) {
    if (e instanceof SQLTransientConnectionException) {
      return "pool_timeout";
    }
    String state = e.getSQLState();
    if (state == null || state.length() < 2) {
      return "other";
    }
    return switch (state.substring(0, 2)) {
      case "08" -> "connection";
      case "23" -> "constraint";
      case "40" -> "conflict";
      case "57" -> "shutdown";
      case "42" -> "syntax";
      case "HY" -> state.equals("HYT00") ? "timeout" : "other";
      default -> "other";
    };
  }
}

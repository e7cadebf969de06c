package dev.vigil.catalog.db;

import dev.vigil.catalog.fault.CatalogFaults;
import dev.vigil.telemetry.tracing.ActiveSpan;
import dev.vigil.telemetry.tracing.TraceAttributes;
import dev.vigil.telemetry.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SQL statement with a fixed name, timed on every execution.
 *
 * <p>Each execution observes {@code db_query_duration_seconds{query=name}}; one slower than the
 * slow threshold also counts in {@code db_slow_queries_total} and logs a WARN with the name and
 * duration (never the parameters). A failure counts in {@code db_errors_total}. Inside a traced
 * request, each execution is also a CLIENT span named after the statement ({@code
 * db.query.summary}, never SQL text nor parameters); outside one (health pings, migrations) no
 * trace is started.
 */
public final class NamedStatement {

  private static final Logger LOG = LoggerFactory.getLogger(NamedStatement.class);

  /** The work done with a prepared statement: bind parameters, execute, read the result. */
  @FunctionalInterface
  public interface Work<T> {
    /**
     * @param statement the prepared statement
     * @return the result of the work
     * @throws SQLException passed on to the caller after being counted
     */
    T apply(PreparedStatement statement) throws SQLException;
  }

  private final String name;
  private final String sql;
  private final boolean returnsGeneratedId;
  private final long slowNanos;
  private final QueryMetrics metrics;
  private final DistributionDataPoint duration;
  private final CounterDataPoint slow;
  private final Tracing tracing;
  private final String system;
  private final CatalogFaults faults;

  NamedStatement(
      String name,
      String sql,
      boolean returnsGeneratedId,
      Duration slowThreshold,
      QueryMetrics metrics,
      Tracing tracing,
      String system,
      CatalogFaults faults) {
    this.faults = faults;
    this.tracing = tracing;
    this.system = system;
    this.name = name;
    this.sql = sql;
    this.returnsGeneratedId = returnsGeneratedId;
    this.slowNanos = slowThreshold.toNanos();
    this.metrics = metrics;
    this.duration = metrics.duration.labelValues(name);
    this.slow = metrics.slow.labelValues(name);
  }

  /** The statement's name, the value of the {@code query} label, e.g. {@code product_by_id}. */
  public String name() {
    return name;
  }

  /**
   * Prepares and runs the statement on a connection, timing it.
   *
   * @param connection an open connection (the caller owns its transaction)
   * @param work binds parameters, executes and reads results
   * @param <T> the result type
   * @return what {@code work} returned
   * @throws SQLException when the database fails; counted in {@code db_errors_total}
   */
  public <T> T execute(Connection connection, Work<T> work) throws SQLException {
    ActiveSpan span =
        Span.current().getSpanContext().isValid()
            ? tracing
                .span(name)
                .kind(SpanKind.CLIENT)
                .set(TraceAttributes.DB_SYSTEM, system)
                .set(TraceAttributes.DB_QUERY_SUMMARY, name)
                .start()
            : null;
    long start = System.nanoTime();
    try (PreparedStatement ps =
        returnsGeneratedId
            ? connection.prepareStatement(sql, new String[] {"id"})
            : connection.prepareStatement(sql)) {
      faults.beforeStatement(name);
      return work.apply(ps);
    } catch (SQLException | RuntimeException e) {
      if (span != null) {
        span.fail(e);
      }
      if (e instanceof SQLException sql) {
        metrics.recordError(sql);
      }
      throw e;
    } finally {
      if (span != null) {
        span.close();
      }
      long elapsed = System.nanoTime() - start;
      duration.observe(elapsed / 1e9);
      if (elapsed > slowNanos) {
        slow.inc();
        LOG.atWarn()
            .addKeyValue("query", name)
            .addKeyValue("duration_ms", elapsed / 1_000_000)
            .log("slow query {} took {} ms", name, elapsed / 1_000_000);
      }
    }
  }
}

package dev.vigil.catalog.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.telemetry.health.HealthStatus;
import dev.vigil.telemetry.tracing.Tracing;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The catalog's database: a HikariCP pool named {@code catalog} over H2 or PostgreSQL, named statements
 * and transactions.
 *
 * <p>Pool gauges {@code db_connection_pool_active}, {@code _idle}, {@code _max} and {@code _pending}
 * (label {@code pool="catalog"}) are read from the pool at scrape time. Failing to obtain a connection
 * counts in {@code db_errors_total{error_type="pool_timeout"}}.
 */
public final class Database implements AutoCloseable {

  /** The value of the {@code pool} label. */
  public static final String POOL = "catalog";

  /** Work done with a connection. */
  @FunctionalInterface
  public interface Work<T> {
    /**
     * @param connection an open connection
     * @return the result
     * @throws SQLException on database failure
     */
    T apply(Connection connection) throws SQLException;
  }

  private final HikariDataSource pool;
  private final QueryMetrics metrics;
  private final Duration slowQuery;
  private final NamedStatement ping;
  private final Tracing tracing;
  private final String system;

  /**
   * Creates the pool (connections open lazily, so a database that is down at start only makes the
   * service unready) and registers the pool and statement metrics.
   *
   * @param config pool size, timeout, URL and credentials
   * @param registry where the metrics are registered
   * @param tracing spans for statements executed inside traced work
   */
  public Database(CatalogConfig config, PrometheusRegistry registry, Tracing tracing) {
    this.tracing = tracing;
    this.system = config.jdbcUrl().startsWith("jdbc:postgresql:") ? "postgresql" : "h2";
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName(POOL);
    hikari.setJdbcUrl(config.jdbcUrl());
    if (config.dbUser() != null) {
      hikari.setUsername(config.dbUser());
    }
    if (config.dbPassword() != null) {
      hikari.setPassword(config.dbPassword());
    }
    hikari.setMaximumPoolSize(config.poolSize());
    hikari.setMinimumIdle(Math.min(2, config.poolSize()));
    hikari.setConnectionTimeout(config.poolTimeout().toMillis());
    hikari.setValidationTimeout(Math.min(1000, config.poolTimeout().toMillis()));
    hikari.setInitializationFailTimeout(-1);
    this.pool = new HikariDataSource(hikari);
    this.metrics = new QueryMetrics(registry);
    this.slowQuery = config.slowQuery();
    this.ping = statement("health_ping", "SELECT 1");
    registerPoolGauges(registry, config.poolSize());
  }

  /**
   * Declares a named statement.
   *
   * @param name fixed statement name for the {@code query} label, e.g. {@code product_by_id}
   * @param sql the SQL, portable between H2 and PostgreSQL
   * @return the statement, to keep in a field and execute many times
   */
  public NamedStatement statement(String name, String sql) {
    return new NamedStatement(name, sql, false, slowQuery, metrics, tracing, system);
  }

  /**
   * Declares a named INSERT whose generated {@code id} column is read with
   * {@link java.sql.PreparedStatement#getGeneratedKeys()}.
   *
   * @param name fixed statement name
   * @param sql the INSERT statement
   * @return the statement
   */
  public NamedStatement insertReturningId(String name, String sql) {
    return new NamedStatement(name, sql, true, slowQuery, metrics, tracing, system);
  }

  /**
   * Runs work on a pooled connection in auto-commit mode.
   *
   * @param work the work
   * @param <T> its result type
   * @return its result
   * @throws SQLException when no connection is available within DB_POOL_TIMEOUT or the work fails
   */
  public <T> T read(Work<T> work) throws SQLException {
    try (Connection c = connection()) {
      return work.apply(c);
    }
  }

  /**
   * Runs work in one transaction: committed when it returns, rolled back when it throws.
   *
   * @param work the work
   * @param <T> its result type
   * @return its result, after the commit succeeded
   * @throws SQLException when no connection is available, the work fails or the commit fails
   */
  public <T> T transaction(Work<T> work) throws SQLException {
    try (Connection c = connection()) {
      c.setAutoCommit(false);
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  /**
   * The readiness check: a connection from the pool answers {@code SELECT 1}.
   *
   * @return {@link HealthStatus#HEALTHY}
   * @throws SQLException when the database is unreachable
   */
  public HealthStatus check() throws SQLException {
    return read(c -> ping.execute(c, ps -> {
      ps.executeQuery().close();
      return HealthStatus.HEALTHY;
    }));
  }

  /** The pool as a {@link DataSource}, for schema migrations. */
  public DataSource dataSource() {
    return pool;
  }

  /** Closes every pooled connection; in-flight work should have finished. */
  @Override
  public void close() {
    pool.close();
  }

  private Connection connection() throws SQLException {
    try {
      return pool.getConnection();
    } catch (SQLException e) {
      metrics.recordError(e);
      throw e;
    }
  }

  private void registerPoolGauges(PrometheusRegistry registry, int max) {
    gauge(registry, "db_connection_pool_active", "Connections in use", bean -> bean.getActiveConnections());
    gauge(registry, "db_connection_pool_idle", "Connections idle in the pool", bean -> bean.getIdleConnections());
    gauge(registry, "db_connection_pool_pending", "Threads waiting for a connection",
        bean -> bean.getThreadsAwaitingConnection());
    GaugeWithCallback.builder()
        .name("db_connection_pool_max")
        .help("Maximum connections of the pool (DB_POOL_SIZE)")
        .labelNames("pool")
        .callback(cb -> cb.call(max, POOL))
        .register(registry);
  }

  private void gauge(PrometheusRegistry registry, String name, String help,
      java.util.function.ToIntFunction<HikariPoolMXBean> read) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("pool")
        .callback(cb -> {
          HikariPoolMXBean bean = pool.getHikariPoolMXBean();
          cb.call(bean == null ? 0 : read.applyAsInt(bean), POOL);
        })
        .register(registry);
  }
}

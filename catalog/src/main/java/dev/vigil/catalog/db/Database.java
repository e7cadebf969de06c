package dev.vigil.catalog.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.catalog.fault.CatalogFaults;
import dev.vigil.catalog.resilience.CircuitStateGauge;
import dev.vigil.telemetry.config.UrlSecrets;
import dev.vigil.telemetry.health.HealthStatus;
import dev.vigil.telemetry.tracing.Tracing;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The catalog's database: a HikariCP pool named {@code catalog} over H2 or PostgreSQL, named
 * statements and transactions.
 *
 * <p>Failing fast and honestly: a connection that cannot be had within {@code DB_POOL_TIMEOUT} is a
 * {@link DatabaseUnavailableException} (503 with Retry-After, never 500). A circuit breaker
 * (Resilience4j) watches connection failures (the database unreachable, a connection lost: SQLState
 * class 08 or 57P, or a pool timeout with an underlying connection error): when half of the last 10
 * failed, it opens and every request fails at once with {@link DatabaseUnavailableException} for
 * {@link #BREAKER_WAIT}, then two trial calls decide. A pool merely exhausted by load does not open
 * it. Its state is {@code db_circuit_state{state}}. It turns half-open after {@link #BREAKER_WAIT}
 * by itself (not only when a call asks), a trial call that ends without an outcome (an {@link
 * Error}) gives its place back, and a half-open breaker whose trials do not answer within {@link
 * #HALF_OPEN_LIMIT} opens again: it is never open or half-open longer than that says.
 *
 * <p>From the first second of an outage: every connection the pool fails to open (refused, reset)
 * counts for the breaker at once, not when a request's pool timeout expires; a request waiting for
 * a connection gives up as soon as the breaker opens (it waits in slices of {@link #WAIT_SLICE},
 * HikariCP's shortest connection timeout, and looks at the breaker between them); a trial call
 * while the breaker is half-open waits one slice at most. While the breaker is not closed the pool
 * keeps no minimum of idle connections, so HikariCP stops retrying in the background (its back-off
 * grows to 5 s) and the first trial after the outage opens a connection at once.
 *
 * <p>Readiness ({@link #check()}) is a real query: while the breaker is closed, {@code SELECT 1} on
 * a connection of its own (not from the request pool, so a saturated pool does not make every
 * replica unready at once); while it is open, not ready at once; while it may be tried, the check
 * is a trial call through the request pool, so the service reports ready only once a query on the
 * path requests take succeeds, and closes the breaker even without traffic.
 *
 * <p>Pool gauges {@code db_connection_pool_active}, {@code _idle}, {@code _max} and {@code
 * _pending} (label {@code pool="catalog"}) are read from the pool at scrape time. Failing to obtain
 * a connection counts in {@code db_errors_total{error_type="pool_timeout"}}.
 */
public final class Database implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Database.class);

  /** The value of the {@code pool} label. */
  public static final String POOL = "catalog";

  /** How long the open breaker refuses requests before trial requests. */
  public static final Duration BREAKER_WAIT = Duration.ofSeconds(3);

  /**
   * The longest single wait for a pooled connection (HikariCP's floor for {@code
   * connectionTimeout}); between two, a request looks whether the database is known down. {@code
   * DB_POOL_TIMEOUT} is rounded down to a multiple of it (at least one).
   */
  public static final Duration WAIT_SLICE = Duration.ofMillis(250);

  /** Trial calls that must succeed, while the breaker is half-open, for it to close. */
  public static final int HALF_OPEN_TRIALS = 2;

  /**
   * The longest the breaker stays half-open waiting for its trial calls to answer; then it opens
   * again (and tries again after {@link #BREAKER_WAIT}).
   */
  public static final Duration HALF_OPEN_LIMIT = Duration.ofSeconds(10);

  /** Longest wait of the readiness check for its own connection and query. */
  public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(1);

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
  private final CircuitBreaker breaker;
  private final CatalogConfig config;
  private final CatalogFaults faults;
  private final int minimumIdle;
  private Connection checkConnection;

  /**
   * Creates the pool (connections open lazily, so a database that is down at start only makes the
   * service unready) and registers the pool and statement metrics.
   *
   * @param config pool size, timeout, URL and credentials
   * @param registry where the metrics are registered
   * @param tracing spans for statements executed inside traced work
   */
  public Database(CatalogConfig config, PrometheusRegistry registry, Tracing tracing) {
    this(config, registry, tracing, CatalogFaults.none());
  }

  /**
   * Creates the pool, with the catalog's faults acting on it: {@code db_unavailable} fails every
   * pooled connection attempt and the readiness check, {@code db_slow_statement} delays a named
   * statement while it holds its connection. Every statement declared here is a target of the
   * latter.
   *
   * @param config pool size, timeout, URL and credentials
   * @param registry where the metrics are registered
   * @param tracing spans for statements executed inside traced work
   * @param faults the catalog's injected faults
   */
  public Database(
      CatalogConfig config, PrometheusRegistry registry, Tracing tracing, CatalogFaults faults) {
    this.faults = faults;
    this.tracing = tracing;
    this.system = config.jdbcUrl().startsWith("jdbc:postgresql:") ? "postgresql" : "h2";
    this.config = config;
    this.breaker =
        CircuitBreaker.of(
            "database",
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(4)
                .failureRateThreshold(50)
                .waitDurationInOpenState(BREAKER_WAIT)
                // half-open after BREAKER_WAIT even when nothing asks (only a call for a
                // permission moves it otherwise): knownDown() must not stay true for a catalog
                // that serves only cached reads while the database is back
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(HALF_OPEN_TRIALS)
                // trial calls that never answer (a hung socket) must not keep it half-open,
                // refusing every call, for ever: open again, and new trials after BREAKER_WAIT
                .maxWaitDurationInHalfOpenState(HALF_OPEN_LIMIT)
                .recordException(Database::isConnectionFailure)
                .build());
    linkBreakerStates();
    this.minimumIdle = Math.min(2, config.poolSize());
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName(POOL);
    // the pool opens its connections through this data source, which tells the breaker of each
    // failure at once (HikariCP itself keeps only the last one, for a waiter's timeout)
    hikari.setDataSource(
        new ObservedDataSource(
            new com.zaxxer.hikari.util.DriverDataSource(
                config.jdbcUrl(),
                null,
                new java.util.Properties(),
                config.dbUser(),
                config.dbPassword()),
            config.poolTimeout(),
            this::connectionAttemptFailed));
    hikari.setMaximumPoolSize(config.poolSize());
    hikari.setMinimumIdle(minimumIdle);
    hikari.setConnectionTimeout(WAIT_SLICE.toMillis());
    hikari.setValidationTimeout(Math.min(1000, config.poolTimeout().toMillis()));
    hikari.setInitializationFailTimeout(-1);
    this.pool = new HikariDataSource(hikari);
    this.metrics = new QueryMetrics(registry);
    this.slowQuery = config.slowQuery();
    this.ping = statement("health_ping", "SELECT 1");
    breaker
        .getEventPublisher()
        .onStateTransition(
            event ->
                pool.getHikariConfigMXBean()
                    .setMinimumIdle(
                        event.getStateTransition().getToState() == CircuitBreaker.State.CLOSED
                            ? minimumIdle
                            : 0));
    registerPoolGauges(registry, config.poolSize());
    CircuitStateGauge.register(
        registry,
        "db_circuit_state",
        "State of the database circuit breaker: 1 for the current state",
        breaker);
  }

  /**
   * Whether a failure says the database cannot be reached (as opposed to a query's own error or a
   * pool exhausted by load): SQLState class 08 (connection exception), 57P01..57P03 (PostgreSQL
   * shutting down), or a pool timeout caused by a failing connection.
   *
   * @param e any failure, with its causes
   * @return {@code true} for a connection failure
   */
  public static boolean isConnectionFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DatabaseUnavailableException) {
        continue; // judged by its cause: a failing connection, or none (a pool busy with load)
      }
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
        return true;
      }
      if (t instanceof java.io.IOException) {
        return true; // the driver's socket failed: refused, reset, closed
      }
    }
    return false;
  }

  /**
   * Whether a failure means the database could not be used now (no connection: known down, the pool
   * exhausted or unreachable, or a connection failure), as opposed to a query's own error.
   *
   * @param e any failure, with its causes
   * @return {@code true} when the work could not reach the database
   */
  public static boolean isUnavailable(Throwable e) {
    return e instanceof DatabaseUnavailableException || isConnectionFailure(e);
  }

  /**
   * Declares a named statement.
   *
   * @param name fixed statement name for the {@code query} label, e.g. {@code product_by_id}
   * @param sql the SQL, portable between H2 and PostgreSQL
   * @return the statement, to keep in a field and execute many times
   */
  public NamedStatement statement(String name, String sql) {
    faults.declareStatement(name);
    return new NamedStatement(name, sql, false, slowQuery, metrics, tracing, system, faults);
  }

  /**
   * Declares a named INSERT whose generated {@code id} column is read with {@link
   * java.sql.PreparedStatement#getGeneratedKeys()}.
   *
   * @param name fixed statement name
   * @param sql the INSERT statement
   * @return the statement
   */
  public NamedStatement insertReturningId(String name, String sql) {
    faults.declareStatement(name);
    return new NamedStatement(name, sql, true, slowQuery, metrics, tracing, system, faults);
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
    return guarded(
        () -> {
          try (Connection c = connection()) {
            return work.apply(c);
          }
        });
  }

  /**
   * Runs work in one transaction: committed when it returns, rolled back when it throws anything,
   * an {@link Error} included.
   *
   * @param work the work
   * @param <T> its result type
   * @return its result, after the commit succeeded
   * @throws SQLException when no connection is available, the work fails or the commit fails
   */
  public <T> T transaction(Work<T> work) throws SQLException {
    return guarded(
        () -> {
          try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
              T result = work.apply(c);
              c.commit();
              return result;
            } catch (SQLException | RuntimeException | Error e) {
              // an Error too: without the rollback, setAutoCommit(true) below would commit the
              // half-done work (JDBC commits an open transaction when auto-commit is turned on)
              try {
                c.rollback();
              } catch (SQLException rollback) {
                e.addSuppressed(rollback); // a broken connection: the first failure says why
              }
              throw e;
            } finally {
              try {
                c.setAutoCommit(true);
              } catch (SQLException closed) {
                // a broken connection (the pool evicts it); never hide the work's own outcome
                // behind this
              }
            }
          }
        });
  }

  /** Work that may throw SQLException. */
  @FunctionalInterface
  private interface Guarded<T> {
    T run() throws SQLException;
  }

  /** Runs work through the circuit breaker: refused at once while it is open. */
  private <T> T guarded(Guarded<T> work) throws SQLException {
    if (!breaker.tryAcquirePermission()) {
      throw new DatabaseUnavailableException(
          "the database is unreachable (circuit breaker open after repeated "
              + "connection failures): nothing was changed; retry in "
              + BREAKER_WAIT.toSeconds()
              + " s",
          BREAKER_WAIT,
          null);
    }
    long start = breaker.getCurrentTimestamp();
    T result;
    try {
      result = work.run();
    } catch (SQLException | RuntimeException e) {
      bookkeeping(
          () ->
              breaker.onError(
                  breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), e));
      throw e;
    } catch (Error e) {
      // no outcome, but a half-open breaker gets its place back
      bookkeeping(breaker::releasePermission);
      throw e;
    }
    bookkeeping(
        () ->
            breaker.onResult(
                breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), result));
    return result;
  }

  /**
   * Takes a throwaway circuit breaker through every state once, on this thread, before any traffic,
   * so that Resilience4j's state classes are loaded, linked and first called here. The fault suite
   * saw the state machine's interface calls ({@code getState}, {@code releasePermission}) throw a
   * bare {@code IncompatibleClassChangeError} in bursts at the instant the database breaker first
   * opened under concurrent requests on virtual threads, as if the new state's class were used
   * before it was ready (JDK 25); a state class first used here cannot be.
   */
  private static void linkBreakerStates() {
    CircuitBreaker probe =
        CircuitBreaker.of(
            "database-warm-up",
            CircuitBreakerConfig.custom()
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
    probe.transitionToOpenState();
    probe.tryAcquirePermission();
    probe.getState();
    probe.transitionToHalfOpenState();
    if (probe.tryAcquirePermission()) {
      probe.releasePermission();
    }
    probe.getState();
    probe.transitionToClosedState();
    if (probe.tryAcquirePermission()) {
      probe.onResult(0, java.util.concurrent.TimeUnit.NANOSECONDS, null);
    }
    probe.getState();
    probe.transitionToForcedOpenState();
    probe.tryAcquirePermission();
    probe.getState();
    probe.transitionToDisabledState();
    probe.tryAcquirePermission();
    probe.getState();
    probe.transitionToMetricsOnlyState();
    probe.tryAcquirePermission();
    probe.getState();
  }

  /**
   * Records an outcome in the circuit breaker without letting the breaker's own failure change the
   * request's answer: the fault suite saw Resilience4j's state machine throw a bare {@code
   * IncompatibleClassChangeError} from {@code releasePermission} five times at one instant of a
   * database stop (cause not found), which turned answered work into 500s. Such a failure is logged
   * and the work's own outcome stands.
   */
  private static void bookkeeping(Runnable record) {
    try {
      record.run();
    } catch (Error e) {
      LOG.warn("circuit breaker bookkeeping failed; the request's own outcome stands", e);
    }
  }

  /**
   * Whether the database is known down: the breaker is open, so requests fail at once without
   * waiting for the pool. Never blocks.
   *
   * @return {@code true} while the circuit breaker is open
   */
  public boolean knownDown() {
    CircuitBreaker.State state = breaker.getState();
    return state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
  }

  /**
   * The readiness check: ready only when a real query succeeds. While the breaker is closed, {@code
   * SELECT 1} on a connection of its own (not from the request pool, so a saturated pool does not
   * make the service unready) within {@link #CHECK_TIMEOUT}, reopened after a failure. While the
   * breaker is open, unready at once; once it may be tried, {@code SELECT 1} through the request
   * pool as trial calls (up to {@link #HALF_OPEN_TRIALS}, each waiting {@link #WAIT_SLICE} at most
   * for a connection), so the breaker closes without traffic, and ready only once it has closed.
   *
   * @return {@link HealthStatus#HEALTHY}
   * @throws SQLException when the database is unreachable or known down
   */
  public HealthStatus check() throws SQLException {
    if (faults.databaseUnavailable()) {
      throw injectedUnavailable();
    }
    // without traffic (a load balancer routes none to an unready replica) the check's own trial
    // calls close the breaker: as many as it takes, each refused when requests hold the places
    for (int trial = 0;
        trial < HALF_OPEN_TRIALS && breaker.getState() != CircuitBreaker.State.CLOSED;
        trial++) {
      read(c -> ping.execute(c, ps -> ps.executeQuery().next()));
    }
    if (breaker.getState() != CircuitBreaker.State.CLOSED) {
      throw new SQLException(
          "the database answered trial queries through the request pool; the circuit breaker is"
              + " still half-open, waiting for the outcome of other trial calls",
          "08006");
    }
    return checkOwnConnection();
  }

  private synchronized HealthStatus checkOwnConnection() throws SQLException {
    try {
      if (checkConnection == null || checkConnection.isClosed()) {
        checkConnection = openCheckConnection();
      }
      try (java.sql.Statement query = checkConnection.createStatement()) {
        query.setQueryTimeout((int) CHECK_TIMEOUT.toSeconds());
        try (java.sql.ResultSet rs = query.executeQuery("SELECT 1")) {
          if (!rs.next()) {
            throw new SQLException("SELECT 1 returned no row", "08006");
          }
        }
      }
      return HealthStatus.HEALTHY;
    } catch (SQLException e) {
      closeCheckConnection();
      throw new SQLException(UrlSecrets.mask(e.getMessage()), e.getSQLState());
    }
  }

  private Connection openCheckConnection() throws SQLException {
    java.util.Properties properties = new java.util.Properties();
    if (config.dbUser() != null) {
      properties.setProperty("user", config.dbUser());
    }
    if (config.dbPassword() != null) {
      properties.setProperty("password", config.dbPassword());
    }
    if (system.equals("postgresql")) {
      properties.setProperty("connectTimeout", Long.toString(CHECK_TIMEOUT.toSeconds()));
      properties.setProperty("socketTimeout", Long.toString(CHECK_TIMEOUT.toSeconds() * 2));
      properties.setProperty("ApplicationName", "vigil-catalog-readiness");
    }
    return java.sql.DriverManager.getConnection(config.jdbcUrl(), properties);
  }

  private void closeCheckConnection() {
    if (checkConnection != null) {
      try {
        checkConnection.close();
      } catch (SQLException ignored) {
        // already broken
      }
      checkConnection = null;
    }
  }

  /** The failure of the {@code db_unavailable} fault: a connection exception (SQLState 08001). */
  private static SQLException injectedUnavailable() {
    return new SQLException(
        "the database refused the connection (injected fault db_unavailable: a drill)", "08001");
  }

  /** The request pool as a {@link DataSource}. */
  public DataSource dataSource() {
    return pool;
  }

  /**
   * A data source that opens its own connections to the same database, outside the request pool,
   * for the schema migrations: Flyway holds two connections at once while it migrates, so from the
   * pool it could not migrate with {@code DB_POOL_SIZE=1} and would take requests' places.
   *
   * @return a new unpooled data source (HikariCP's {@code DriverDataSource}) with the pool's URL
   *     and credentials; each {@code getConnection()} opens a connection the caller closes
   */
  public DataSource unpooledDataSource() {
    return new com.zaxxer.hikari.util.DriverDataSource(
        config.jdbcUrl(), null, new java.util.Properties(), config.dbUser(), config.dbPassword());
  }

  /** Closes every pooled connection; in-flight work should have finished. */
  @Override
  public void close() {
    synchronized (this) {
      closeCheckConnection();
    }
    pool.close();
  }

  private Connection connection() throws SQLException {
    if (faults.databaseUnavailable()) {
      SQLException e = injectedUnavailable();
      metrics.recordError(e);
      throw e;
    }
    // a trial call (breaker half-open) waits one slice; otherwise DB_POOL_TIMEOUT in slices, giving
    // up as soon as the breaker opens
    long slices =
        breaker.getState() == CircuitBreaker.State.CLOSED
            ? Math.max(1, config.poolTimeout().toMillis() / WAIT_SLICE.toMillis())
            : 1;
    long start = System.nanoTime();
    for (long slice = 1; ; slice++) {
      try {
        return pool.getConnection();
      } catch (SQLTransientConnectionException e) {
        boolean down = knownDown();
        if (!down && slice < slices) {
          continue;
        }
        metrics.recordError(e);
        throw unavailable(e, down, (System.nanoTime() - start) / 1_000_000);
      } catch (SQLException e) {
        metrics.recordError(e);
        throw e;
      }
    }
  }

  /** The answer to HikariCP's timeout after {@code waitedMillis} of waiting in all. */
  private DatabaseUnavailableException unavailable(
      SQLTransientConnectionException e, boolean knownDown, long waitedMillis) {
    if (knownDown) {
      return new DatabaseUnavailableException(
          "the database is unreachable (circuit breaker opened after connection failures while"
              + " this request waited "
              + waitedMillis
              + " ms for a connection): nothing was changed; retry in "
              + BREAKER_WAIT.toSeconds()
              + " s",
          BREAKER_WAIT,
          e.getCause());
    }
    // Every connection busy: the pool is exhausted by load (Hikari still names the last connection
    // failure, however old, as the cause). Otherwise the pool could not open connections: the
    // database is unreachable, and the cause says why (the breaker counts it).
    HikariPoolMXBean bean = pool.getHikariPoolMXBean();
    boolean exhausted = bean != null && bean.getActiveConnections() >= config.poolSize();
    if (exhausted || e.getCause() == null) {
      return new DatabaseUnavailableException(
          "the database connection pool is exhausted: no free connection "
              + "within "
              + config.poolTimeout().toMillis()
              + " ms (DB_POOL_TIMEOUT); nothing was changed",
          Duration.ofSeconds(1),
          null);
    }
    return new DatabaseUnavailableException(
        "the database is unreachable: no connection within "
            + waitedMillis
            + " ms (DB_POOL_TIMEOUT "
            + config.poolTimeout().toMillis()
            + " ms); nothing was changed",
        Duration.ofSeconds(1),
        e.getCause());
  }

  /** A connection the pool tried to open failed: a connection failure counts for the breaker. */
  private void connectionAttemptFailed(SQLException e) {
    if (isConnectionFailure(e)) {
      breaker.onError(0, java.util.concurrent.TimeUnit.NANOSECONDS, e);
    }
  }

  private void registerPoolGauges(PrometheusRegistry registry, int max) {
    gauge(
        registry,
        "db_connection_pool_active",
        "Connections in use",
        bean -> bean.getActiveConnections());
    gauge(
        registry,
        "db_connection_pool_idle",
        "Connections idle in the pool",
        bean -> bean.getIdleConnections());
    gauge(
        registry,
        "db_connection_pool_pending",
        "Threads waiting for a connection",
        bean -> bean.getThreadsAwaitingConnection());
    GaugeWithCallback.builder()
        .name("db_connection_pool_max")
        .help("Maximum connections of the pool (DB_POOL_SIZE)")
        .labelNames("pool")
        .callback(cb -> cb.call(max, POOL))
        .register(registry);
  }

  private void gauge(
      PrometheusRegistry registry,
      String name,
      String help,
      java.util.function.ToIntFunction<HikariPoolMXBean> read) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("pool")
        .callback(
            cb -> {
              HikariPoolMXBean bean = pool.getHikariPoolMXBean();
              cb.call(bean == null ? 0 : read.applyAsInt(bean), POOL);
            })
        .register(registry);
  }

  /**
   * The pool's source of new connections: a {@link com.zaxxer.hikari.util.DriverDataSource} whose
   * failures are reported as they happen. HikariCP's login timeout (derived from its short {@code
   * connectionTimeout}) is replaced by {@code DB_POOL_TIMEOUT}, so a slow but working database can
   * still be connected to.
   */
  private static final class ObservedDataSource implements DataSource {
    private final DataSource delegate;
    private final Duration loginTimeout;
    private final java.util.function.Consumer<SQLException> failed;

    ObservedDataSource(
        DataSource delegate,
        Duration loginTimeout,
        java.util.function.Consumer<SQLException> failed) {
      this.delegate = delegate;
      this.loginTimeout = loginTimeout;
      this.failed = failed;
    }

    @Override
    public Connection getConnection() throws SQLException {
      try {
        return delegate.getConnection();
      } catch (SQLException e) {
        failed.accept(e);
        throw e;
      }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      try {
        return delegate.getConnection(username, password);
      } catch (SQLException e) {
        failed.accept(e);
        throw e;
      }
    }

    @Override
    public java.io.PrintWriter getLogWriter() throws SQLException {
      return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(java.io.PrintWriter out) throws SQLException {
      delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      delegate.setLoginTimeout((int) Math.max(1, loginTimeout.toSeconds()));
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return delegate.getLoginTimeout();
    }

    @Override
    public java.util.logging.Logger getParentLogger()
        throws java.sql.SQLFeatureNotSupportedException {
      return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return delegate.isWrapperFor(iface);
    }
  }
}

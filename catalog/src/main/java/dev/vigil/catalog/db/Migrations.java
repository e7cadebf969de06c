package dev.vigil.catalog.db;

import dev.vigil.telemetry.errors.ErrorTracker;
import dev.vigil.telemetry.errors.RetriedFailures;
import dev.vigil.telemetry.health.HealthStatus;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the schema migrations (Flyway: SQL under {@code dev/vigil/catalog/db/migration} and the
 * Java migrations the caller hands over, such as the starting catalogue of products) and remembers
 * whether they are applied, for readiness. The database layer knows no domain: data migrations come
 * from the server that wires the modules.
 *
 * <p>Migrations run on their own thread, so that opening the database and checking the schema
 * overlap the rest of the service's start (HTTP server, clients); the service is not ready
 * meanwhile. When the database is unreachable, migration is retried every {@link #RETRY_INTERVAL}
 * until it succeeds or the service stops. Flyway opens its own connections ({@link
 * Database#unpooledDataSource()}), never the request pool's, so any pool size can migrate. Every
 * failed attempt is recorded in the error tracker under the worker {@value #WORKER}; it is logged
 * with its stack trace the first time its failure (fingerprint) occurs and as one WARN line on the
 * following attempts ({@link RetriedFailures}), so a database down at start is not a stack trace
 * every {@link #RETRY_INTERVAL}.
 */
public final class Migrations {

  /** Pause between two migration attempts. */
  public static final Duration RETRY_INTERVAL = Duration.ofSeconds(2);

  /** The worker name of the migrations' failures and thread. */
  public static final String WORKER = "migrations";

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private final DataSource dataSource;
  private final JavaMigration[] javaMigrations;
  private final ErrorTracker errors;
  private final RetriedFailures failures;
  private final CountDownLatch firstAttempt = new CountDownLatch(1);
  private Flyway flyway;
  private volatile String appliedVersion;
  private volatile String lastError = "not attempted yet";
  private volatile Thread retrying;

  /**
   * @param database the database to migrate
   * @param errors where failed attempts are recorded, the service's error tracker
   * @param javaMigrations versioned Java migrations applied in version order with the SQL ones,
   *     e.g. the starting catalogue (version 2)
   */
  public Migrations(Database database, ErrorTracker errors, JavaMigration... javaMigrations) {
    this.dataSource = database.unpooledDataSource();
    this.errors = errors;
    this.failures = new RetriedFailures(errors, WORKER);
    this.javaMigrations = javaMigrations.clone();
  }

  /**
   * Starts migrating on a virtual thread and returns at once; on failure the thread keeps retrying.
   * Call once.
   */
  public void startInBackground() {
    retrying =
        Thread.ofVirtual()
            .name(WORKER)
            .uncaughtExceptionHandler(errors.uncaughtIn(WORKER))
            .start(
                () -> {
                  boolean applied = tryOnce();
                  firstAttempt.countDown();
                  while (!applied && !Thread.currentThread().isInterrupted()) {
                    try {
                      Thread.sleep(RETRY_INTERVAL);
                    } catch (InterruptedException e) {
                      return;
                    }
                    applied = tryOnce();
                  }
                });
  }

  /**
   * Waits until the first attempt started by {@link #startInBackground()} has finished.
   *
   * @return whether the schema is current, i.e. that attempt (or a later one) succeeded
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public boolean awaitFirstAttempt() throws InterruptedException {
    firstAttempt.await();
    return appliedVersion != null;
  }

  /** Stops background retries, if any. */
  public void stopRetrying() {
    Thread t = retrying;
    if (t != null) {
      t.interrupt();
    }
  }

  /**
   * The readiness check: migrations applied.
   *
   * @return {@link HealthStatus#HEALTHY} once the schema is current
   * @throws IllegalStateException with the last migration error while it is not
   */
  public HealthStatus check() {
    if (appliedVersion == null) {
      throw new IllegalStateException("schema migrations not applied yet: " + lastError);
    }
    return HealthStatus.HEALTHY;
  }

  private boolean tryOnce() {
    try {
      if (flyway == null) {
        // Built here, on the migration thread: loading Flyway is a good part of its cost.
        flyway =
            Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:dev/vigil/catalog/db/migration")
                .javaMigrations(javaMigrations)
                .load();
      }
      MigrateResult result = flyway.migrate();
      MigrationInfo current = flyway.info().current();
      appliedVersion = current == null ? "0" : current.getVersion().getVersion();
      LOG.atInfo()
          .addKeyValue("schema_version", appliedVersion)
          .addKeyValue("migrations_executed", result.migrationsExecuted)
          .log("database schema is at version {}", appliedVersion);
      failures.succeeded();
      return true;
    } catch (RuntimeException e) {
      lastError = e.getMessage();
      failures.failed(
          "schema migration failed, retrying in " + RETRY_INTERVAL.toSeconds() + " s", e);
      return false;
    }
  }
}

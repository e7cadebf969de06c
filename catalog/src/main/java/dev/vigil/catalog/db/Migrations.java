package dev.vigil.catalog.db;

import dev.vigil.catalog.product.StartingCatalogue;
import dev.vigil.telemetry.health.HealthStatus;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the schema migrations (Flyway: SQL under {@code dev/vigil/catalog/db/migration}, then the
 * {@link StartingCatalogue}) and remembers whether they are applied, for readiness.
 *
 * <p>When the database is unreachable at start, migration is retried in the background every
 * {@link #RETRY_INTERVAL} until it succeeds or the service stops; the service is not ready meanwhile.
 */
public final class Migrations {

  /** Pause between two migration attempts. */
  public static final Duration RETRY_INTERVAL = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private final Flyway flyway;
  private volatile String appliedVersion;
  private volatile String lastError = "not attempted yet";
  private volatile Thread retrying;

  /**
   * @param database the database to migrate
   */
  public Migrations(Database database) {
    this.flyway = Flyway.configure()
        .dataSource(database.dataSource())
        .locations("classpath:dev/vigil/catalog/db/migration")
        .javaMigrations(new StartingCatalogue())
        .load();
  }

  /**
   * Migrates now; on failure keeps retrying on a virtual thread.
   *
   * @return whether the schema is current when this method returns
   */
  public boolean applyOrRetryInBackground() {
    if (tryOnce()) {
      return true;
    }
    retrying = Thread.ofVirtual().name("migrations-retry").start(() -> {
      while (!Thread.currentThread().isInterrupted() && !tryOnce()) {
        try {
          Thread.sleep(RETRY_INTERVAL);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    return false;
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
      MigrateResult result = flyway.migrate();
      appliedVersion = flyway.info().current() == null ? "0" : flyway.info().current().getVersion().getVersion();
      LOG.atInfo()
          .addKeyValue("schema_version", appliedVersion)
          .addKeyValue("migrations_executed", result.migrationsExecuted)
          .log("database schema is at version {}", appliedVersion);
      return true;
    } catch (RuntimeException e) {
      lastError = e.getMessage();
      LOG.error("schema migration failed, retrying in {} s: {}", RETRY_INTERVAL.toSeconds(), e.getMessage());
      return false;
    }
  }
}

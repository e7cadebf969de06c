package dev.vigil.catalog.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.catalog.fault.CatalogFaults;
import dev.vigil.telemetry.tracing.Tracing;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database's circuit breaker stays open no longer than it says ({@link Database#BREAKER_WAIT},
 * then {@link Database#HALF_OPEN_TRIALS} trial calls), whatever the calls made meanwhile: with no
 * call at all, and when a trial call ends in an {@link Error} rather than an outcome. On the
 * embedded H2 database, the outage injected with {@code db_unavailable}.
 */
class DatabaseBreakerTest {

  @TempDir Path dataDir;

  /**
   * Before, only a call asking for a permission moved the breaker from open to half-open, so a
   * catalog answering only cached reads (which ask {@link Database#knownDown()}, never for a
   * permission) stayed "known down", serving stale products, long after the database was back.
   */
  @Test
  void anOpenBreakerTurnsHalfOpenAfterItsWaitWithoutAnyCall() throws Exception {
    try (Fixture f = new Fixture(dataDir)) {
      f.open();

      await(
          "half-open after BREAKER_WAIT with no call at all",
          () -> !f.database.knownDown(),
          Database.BREAKER_WAIT.multipliedBy(5).toMillis());
      assertThat(f.database.<Boolean>read(c -> c.isValid(1))).as("a trial call").isTrue();
      assertThat(f.database.check()).as("readiness runs the last trial call").isNotNull();
      assertThat(f.database.<Boolean>read(c -> c.isValid(1)))
          .as("closed: calls go through")
          .isTrue();
    }
  }

  /**
   * A half-open breaker lets {@link Database#HALF_OPEN_TRIALS} calls through and waits for their
   * outcomes. A trial that ended in an {@link Error} gave no outcome and kept its place, so after
   * two such trials every call was refused (503) until {@link Database#HALF_OPEN_LIMIT}, and before
   * that limit existed, for ever.
   */
  @Test
  void aTrialCallEndingInAnErrorGivesItsPlaceBack() throws Exception {
    try (Fixture f = new Fixture(dataDir)) {
      f.open();

      // every call is refused while the breaker is open; once half-open, the trial calls run and
      // end in an Error
      int trials = 0;
      long deadline = System.nanoTime() + Database.BREAKER_WAIT.multipliedBy(5).toNanos();
      while (trials < Database.HALF_OPEN_TRIALS) {
        assertThat(System.nanoTime()).as("trial calls let through").isLessThan(deadline);
        try {
          f.database.read(
              c -> {
                throw new StackOverflowError("a trial call's own failure");
              });
        } catch (DatabaseUnavailableException refused) {
          Thread.sleep(20);
        } catch (StackOverflowError trial) {
          trials++;
        }
      }
      assertThat(f.database.<Boolean>read(c -> c.isValid(1)))
          .as("the trials that ended in an Error gave their places back: this call is a trial")
          .isTrue();
    }
  }

  /** A database on H2 with faults, and a way to open its breaker. */
  private static final class Fixture implements AutoCloseable {
    final CatalogFaults faults = new CatalogFaults(new PrometheusRegistry());
    final Tracing tracing = Tracing.off();
    final Database database;

    Fixture(Path dataDir) {
      database =
          new Database(
              CatalogConfig.fromEnvironment(Map.of("VIGIL_DATA_DIR", dataDir.toString())),
              new PrometheusRegistry(),
              tracing,
              faults);
    }

    /** Fails reads with {@code db_unavailable} until the breaker opens, then clears the fault. */
    void open() throws Exception {
      faults.registry().set(CatalogFaults.DB_UNAVAILABLE, null, Map.of(), null, "test");
      for (int i = 0; i < 10 && !database.knownDown(); i++) {
        assertThatThrownBy(() -> database.<Boolean>read(c -> c.isValid(1)))
            .satisfies(e -> assertThat(Database.isUnavailable(e)).isTrue());
      }
      assertThat(database.knownDown()).as("the breaker opened").isTrue();
      faults.registry().clearAll("test");
      assertThatThrownBy(() -> database.<Boolean>read(c -> c.isValid(1)))
          .as("open: refused at once")
          .isInstanceOf(DatabaseUnavailableException.class);
    }

    @Override
    public void close() throws Exception {
      database.close();
      tracing.close();
      faults.close();
    }
  }

  private static void await(String what, BooleanSupplier condition, long millis)
      throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("within %d ms: %s", millis, what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}

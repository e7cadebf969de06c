package dev.vigil.catalog.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.telemetry.tracing.Tracing;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction whose work ends in an {@link Error} (a StackOverflowError in a request's database
 * work, say) commits nothing: before, only SQL and runtime exceptions rolled it back, and turning
 * auto-commit back on committed the half-done work (JDBC commits an open transaction then). On the
 * embedded H2 database; the rows are counted by a second connection.
 */
class TransactionErrorTest {

  @TempDir Path dataDir;

  @Test
  void aTransactionEndingInAnErrorCommitsNothing() throws Exception {
    try (Tracing tracing = Tracing.off();
        Database database =
            new Database(
                CatalogConfig.fromEnvironment(Map.of("VIGIL_DATA_DIR", dataDir.toString())),
                new PrometheusRegistry(),
                tracing)) {
      database.read(
          c -> {
            try (Statement s = c.createStatement()) {
              return s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            }
          });

      assertThatThrownBy(
              () ->
                  database.transaction(
                      c -> {
                        try (Statement s = c.createStatement()) {
                          s.executeUpdate("INSERT INTO t VALUES (1)");
                        }
                        throw new StackOverflowError("the work's own failure, after one insert");
                      }))
          .isInstanceOf(StackOverflowError.class);

      long rows =
          database.read(
              c -> {
                try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
                  rs.next();
                  return rs.getLong(1);
                }
              });
      assertThat(rows).as("rows the failed transaction left").isZero();
    }
  }
}

package dev.vigil.catalog.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Seed 004's {@code db_errors_total} answered nothing until the first database error, so a query
 * such as {@code rate(db_errors_total[5m])} was empty, not 0, on a healthy service.
 */
class QueryMetricsTest {

  @Test
  void everyErrorTypeIsExposedAtZeroBeforeTheFirstError() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    QueryMetrics metrics = new QueryMetrics(registry);

    String before = scrape(registry);
    metrics.recordError(new SQLException("refused", "08001"));
    String after = scrape(registry);

    for (String type : QueryMetrics.ERROR_TYPES) {
      assertThat(before).contains("db_errors_total{error_type=\"" + type + "\"} 0");
    }
    assertThat(after).contains("db_errors_total{error_type=\"connection\"} 1");
    assertThat(QueryMetrics.ERROR_TYPES)
        .as("the closed set errorType returns from")
        .contains(
            QueryMetrics.errorType(new SQLException("x", "23505")),
            QueryMetrics.errorType(new SQLException("x", "HYT00")),
            QueryMetrics.errorType(new SQLException("x")));
  }

  private static String scrape(PrometheusRegistry registry) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }
}

package dev.vigil.catalog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogConfigTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    CatalogConfig config = CatalogConfig.fromEnvironment(Map.of());

    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8000);
    assertThat(config.dataDir()).isEqualTo(Path.of(".vigil").toAbsolutePath());
    assertThat(config.embeddedDatabase()).isTrue();
    assertThat(config.jdbcUrl())
        .startsWith("jdbc:h2:file:" + Path.of(".vigil", "db", "catalog").toAbsolutePath());
    assertThat(config.poolSize()).isEqualTo(10);
    assertThat(config.poolTimeout()).isEqualTo(Duration.ofMillis(5000));
    assertThat(config.slowQuery()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.logLevel()).isEqualTo("INFO");
    assertThat(
            config.telemetry().metrics()
                && config.telemetry().accessLog()
                && config.telemetry().tracing())
        .isTrue();
  }

  @Test
  void valuesAreReadFromTheEnvironment() {
    CatalogConfig config =
        CatalogConfig.fromEnvironment(
            Map.of(
                "VIGIL_PORT",
                "9123",
                "DB_POOL_SIZE",
                "25",
                "DB_POOL_TIMEOUT",
                "10000",
                "VIGIL_SLOW_QUERY",
                "2s",
                "VIGIL_SHUTDOWN_GRACE",
                "1500ms",
                "VIGIL_DB_URL",
                "jdbc:postgresql://db:5432/catalog?password=hunter2",
                "LOG_LEVEL",
                "debug",
                "VIGIL_TELEMETRY",
                "metrics"));

    assertThat(config.port()).isEqualTo(9123);
    assertThat(config.poolSize()).isEqualTo(25);
    assertThat(config.poolTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.slowQuery()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/catalog?password=hunter2");
    assertThat(config.logLevel()).isEqualTo("DEBUG");
    assertThat(config.telemetry().accessLog()).isFalse();
    assertThat(config.toString())
        .as("secrets in the URL are not printed")
        .doesNotContain("hunter2");
  }

  @Test
  void anInvalidValueNamesTheVariableAndTheAcceptedFormat() {
    assertThatThrownBy(() -> CatalogConfig.fromEnvironment(Map.of("DB_POOL_SIZE", "lots")))
        .hasMessageContaining("DB_POOL_SIZE='lots'")
        .hasMessageContaining("an integer from 1 to 500");
    assertThatThrownBy(() -> CatalogConfig.fromEnvironment(Map.of("VIGIL_PORT", "70000")))
        .hasMessageContaining("VIGIL_PORT='70000'")
        .hasMessageContaining("0 to 65535");
    assertThatThrownBy(
            () -> CatalogConfig.fromEnvironment(Map.of("VIGIL_SLOW_QUERY", "half a second")))
        .hasMessageContaining("VIGIL_SLOW_QUERY")
        .hasMessageContaining("such as 250ms or 2s");
    assertThatThrownBy(
            () -> CatalogConfig.fromEnvironment(Map.of("VIGIL_DB_URL", "postgres://db/catalog")))
        .hasMessageContaining("VIGIL_DB_URL")
        .hasMessageContaining("jdbc:postgresql://");
    assertThatThrownBy(() -> CatalogConfig.fromEnvironment(Map.of("LOG_LEVEL", "LOUD")))
        .hasMessageContaining("LOG_LEVEL='LOUD'")
        .hasMessageContaining("TRACE, DEBUG, INFO, WARN, ERROR");
    assertThatThrownBy(() -> CatalogConfig.fromEnvironment(Map.of("VIGIL_TELEMETRY", "everything")))
        .hasMessageContaining("VIGIL_TELEMETRY");
  }
}

package dev.vigil.telemetry.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Before: a JDBC URL with {@code user:password@} quoted in a driver's exception put the password in
 * the logged stack trace.
 */
class MaskedThrowableConverterTest {

  @Test
  void aJdbcUrlPasswordInAnExceptionMessageIsMaskedInTheStackTrace() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    MaskedThrowableConverter converter = new MaskedThrowableConverter();
    converter.setContext(context);
    converter.start();
    Exception failure =
        new IllegalStateException(
            "cannot start",
            new SQLException(
                "invalid URL jdbc:postgresql://app:hunter2@db:5432/catalog?password=hunter2"));
    LoggingEvent event =
        new LoggingEvent(
            Logger.class.getName(),
            context.getLogger("test"),
            Level.ERROR,
            "the catalog could not start",
            failure,
            null);

    String trace = converter.convert(event);

    assertThat(trace).contains("app:****@db").contains("password=****").doesNotContain("hunter2");
  }

  @Test
  void theLoggingConfigurationUsesIt() throws Exception {
    try (var xml = getClass().getResourceAsStream("/logback.xml")) {
      assertThat(new String(xml.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .contains(MaskedThrowableConverter.class.getName());
    }
  }
}

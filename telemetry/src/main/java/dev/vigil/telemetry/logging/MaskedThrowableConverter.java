package dev.vigil.telemetry.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.vigil.telemetry.config.UrlSecrets;

/**
 * Writes a logged exception's stack trace (the {@code stack_trace} field, see {@code logback.xml})
 * with the secrets of every URL in it masked ({@link UrlSecrets}): a JDBC driver's message quoting
 * {@code jdbc:postgresql://app:s3cret@db/catalog} must not put the password in the logs.
 */
public final class MaskedThrowableConverter extends ThrowableProxyConverter {

  /**
   * @param event a logging event, with or without an exception
   * @return the stack trace text with URL secrets replaced by {@value UrlSecrets#MASK}; empty
   *     without an exception
   */
  @Override
  public String convert(ILoggingEvent event) {
    return UrlSecrets.mask(super.convert(event));
  }
}

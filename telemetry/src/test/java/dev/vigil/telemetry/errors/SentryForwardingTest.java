package dev.vigil.telemetry.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.sentry.Sentry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Sentry forwarding: nothing starts without {@code SENTRY_DSN}; with a DSN, an unhandled exception
 * reaches the Sentry server (a fake one on loopback, reading the SDK's envelopes) with vigil's
 * fingerprint, release and trace id.
 */
class SentryForwardingTest {

  @Test
  void withoutSentryDsnNoSentryClientStartsAndNothingLeavesTheMachine() {
    ErrorTracker tracker =
        ErrorTracker.builder()
            .sentry(SentryForwarding.fromEnvironment(Map.of(), "shop", "1.0").orElse(null))
            .build();
    tracker.record(new IllegalStateException("boom"), "0af7651916cd43dd8448eb211c80319c", "r-1");

    assertThat(SentryForwarding.fromEnvironment(Map.of("SENTRY_DSN", " "), "shop", "1.0"))
        .isEmpty();
    assertThat(Sentry.isEnabled()).as("a Sentry hub was initialised without SENTRY_DSN").isFalse();
  }

  @Test
  void withSentryDsnAnUnhandledExceptionArrivesAtSentryWithItsFingerprint() throws Exception {
    BlockingQueue<String> envelopes = new LinkedBlockingQueue<>();
    HttpServer sentry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sentry.createContext(
        "/",
        exchange -> {
          byte[] raw = exchange.getRequestBody().readAllBytes();
          boolean gzip =
              "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
          try (InputStream in =
              gzip
                  ? new GZIPInputStream(new ByteArrayInputStream(raw))
                  : new ByteArrayInputStream(raw)) {
            envelopes.add(
                exchange.getRequestURI().getPath()
                    + "\n"
                    + new String(in.readAllBytes(), StandardCharsets.UTF_8));
          }
          byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    sentry.start();
    String dsn = "http://publickey@127.0.0.1:" + sentry.getAddress().getPort() + "/42";
    try (ErrorTracker tracker =
        ErrorTracker.builder()
            .release("2.3.1")
            .sentry(
                SentryForwarding.fromEnvironment(Map.of("SENTRY_DSN", dsn), "shop", "2.3.1")
                    .orElseThrow())
            .build()) {
      assertThat(Sentry.isEnabled()).isTrue();
      ErrorOccurrence occurrence =
          tracker.record(
              new IllegalStateException("boom"), "0af7651916cd43dd8448eb211c80319c", "r-7");

      String envelope = envelopes.poll(20, TimeUnit.SECONDS);
      assertThat(envelope).as("no envelope reached the fake Sentry in 20 s").isNotNull();
      assertThat(envelope)
          .startsWith("/api/42/envelope/")
          .contains(occurrence.fingerprint().value())
          .contains("2.3.1")
          .contains("0af7651916cd43dd8448eb211c80319c")
          .contains("IllegalStateException");
    } finally {
      sentry.stop(0);
    }
    assertThat(Sentry.isEnabled()).isFalse();
  }

  @Test
  void aMalformedDsnIsRefusedWithoutEchoingItsKey() {
    assertThatThrownBy(
            () ->
                SentryForwarding.fromEnvironment(
                    Map.of("SENTRY_DSN", "not a dsn secretkey"), "shop", "1.0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SENTRY_DSN is not a Sentry DSN")
        .hasMessageNotContaining("secretkey");
  }
}

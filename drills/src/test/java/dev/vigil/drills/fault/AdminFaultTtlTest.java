package dev.vigil.drills.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.drills.drill.Drill;
import dev.vigil.drills.drill.DrillFileException;
import dev.vigil.drills.drill.DrillFiles;
import dev.vigil.prometheus.PromDuration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A drill's admin fault carries a ttl so that a drill that dies leaves no fault behind. Issue 26: a
 * drill file's {@code ttl: 500ms} passed the file's validation and was sent to the service as
 * {@code "0s"} (refused: a ttl must be positive), and {@code 1500ms} silently became {@code 1s}.
 * The ttl is read once as a {@link PromDuration} and sent in the same grammar. Each case writes a
 * drill file, reads it as {@code vigil drill run} does, and injects the fault through the HTTP
 * admin client into a real HTTP server on a random port that records the {@code PUT} body.
 */
class AdminFaultTtlTest {

  private static HttpServer server;
  private static final List<JsonNode> BODIES = new ArrayList<>();
  private static Path dir;

  @BeforeContainer
  static void start() throws IOException {
    dir = Files.createTempDirectory("drill-ttl");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/admin/faults/",
        exchange -> {
          synchronized (BODIES) {
            BODIES.add(new ObjectMapper().readTree(exchange.getRequestBody()));
          }
          byte[] ok = "{}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, ok.length);
          exchange.getResponseBody().write(ok);
          exchange.close();
        });
    server.start();
  }

  @AfterContainer
  static void stop() throws IOException {
    server.stop(0);
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  /** Writes a drill file with this ttl, reads it, injects its fault; returns the ttl sent. */
  private static String injectedTtl(String ttl) {
    Path file = dir.resolve("ttl-drill.yaml");
    try {
      Files.writeString(
          file,
          """
          name: ttl-drill
          description: an admin fault with a ttl
          load:
            rate: 1
            mix:
              - path: /api/products
          fault:
            admin:
              service: catalog
              fault: cache_disabled
              ttl: %s
          expect:
            - alert: LowCacheHitRate
              severity: warning
              receiver: ticket
          """
              .formatted(ttl));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Drill drill = DrillFiles.read(file);
    URI admin = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    synchronized (BODIES) {
      BODIES.clear();
    }
    new AdminApiFault(new HttpAdminApi(admin, "token"), drill.fault().admin()).inject();
    synchronized (BODIES) {
      assertThat(BODIES).as("PUT bodies the admin API received").hasSize(1);
      return BODIES.get(0).path("ttl").asText();
    }
  }

  @net.jqwik.api.Example
  void aTtlOfHalfASecondIsSentAsHalfASecondNotAsZero() {
    assertThat(injectedTtl("500ms")).isEqualTo("500ms");
  }

  @net.jqwik.api.Example
  void aTtlOfOneAndAHalfSecondsKeepsItsHalfSecond() {
    assertThat(PromDuration.parse(injectedTtl("1500ms"))).isEqualTo(PromDuration.parse("1500ms"));
  }

  @net.jqwik.api.Example
  void aTtlOfZeroIsRefusedWhenTheFileIsReadNotWhenTheFaultIsInjected() {
    assertThatThrownBy(() -> injectedTtl("0s"))
        .isInstanceOf(DrillFileException.class)
        .hasMessageContaining("fault.admin.ttl")
        .hasMessageContaining("positive");
  }

  /** Any ttl a drill file accepts reaches the admin API as the same duration. */
  @Property(tries = 200)
  void anyTtlTheDrillFileAcceptsIsInjectedAsTheSameDuration(@ForAll("ttls") String ttl) {
    PromDuration written = PromDuration.parse(ttl);

    String sent = injectedTtl(ttl);

    assertThat(PromDuration.parse(sent)).as("ttl %s sent as %s", ttl, sent).isEqualTo(written);
  }

  /**
   * Positive Prometheus durations as people write them: one to four of the units y, w, d, h, m, s,
   * ms, largest first, each with a value that keeps the total far below Go's limit.
   */
  @Provide
  Arbitrary<String> ttls() {
    String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
    return Combinators.combine(
            Arbitraries.integers().between(0, 127).filter(mask -> mask != 0),
            Arbitraries.integers().between(0, 1999).list().ofSize(units.length))
        // y at most 100: the total stays far below Go's limit of about 292 years
        .as(
            (mask, values) -> {
              StringBuilder text = new StringBuilder();
              for (int i = 0; i < units.length; i++) {
                if ((mask & (1 << i)) != 0) {
                  text.append(i == 0 ? values.get(i) % 101 : values.get(i)).append(units[i]);
                }
              }
              return text.toString();
            })
        .filter(text -> PromDuration.parse(text).millis() > 0);
  }
}

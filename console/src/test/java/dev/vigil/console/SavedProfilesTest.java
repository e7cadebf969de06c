package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.telemetry.http.ProblemException;
import dev.vigil.telemetry.profiling.ProfileRecorder;
import dev.vigil.telemetry.profiling.ProfileSettings;
import dev.vigil.telemetry.profiling.ServerSpanEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.FlightRecorder;
import jdk.jfr.RecordingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profiles page's data from a real JFR recording made here with telemetry's {@link
 * ProfileRecorder} (as a service's {@code POST /admin/profile} makes it), while this test burns CPU
 * in a known method and serves two known "requests": every figure is checked against what the test
 * did or against the JDK's own {@code jfr} tool.
 */
class SavedProfilesTest {

  private static final String SLOW_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String FAST_TRACE = "0af7651916cd43dd8448eb211c80319c";

  @TempDir Path state;

  @Test
  void aSavedRecordingIsListedAndSummarisedWithItsHotMethodAndSlowestRequests() throws Exception {
    Path profiles = state.resolve("profiles");
    ProfileRecorder recorder = new ProfileRecorder(profiles, "catalog", List.of("dev.vigil."));
    AtomicBoolean burning = new AtomicBoolean(true);
    Thread burner = Thread.ofPlatform().start(() -> busyWork(burning));
    Thread requests =
        Thread.ofPlatform()
            .start(
                () -> {
                  awaitRecording(); // inside the recording's window
                  serve(SLOW_TRACE, 0.750);
                  serve(FAST_TRACE, 0.012);
                });
    ProfileRecorder.Profile profile;
    try {
      profile = recorder.record(2, ProfileSettings.PROFILE);
    } finally {
      burning.set(false);
      burner.join();
      requests.join();
    }

    SavedProfiles saved = new SavedProfiles(profiles);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> listed = (List<Map<String, Object>>) saved.list().get("profiles");
    String id = profile.file().getFileName().toString();
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0))
        .containsEntry("id", id)
        .containsEntry("service", "catalog")
        .containsEntry("settings", "profile")
        .containsEntry("bytes", Files.size(profile.file()));
    assertThat((String) listed.get(0).get("recorded_at"))
        .as("the time in the file name")
        .startsWith(id.substring(8, 12) + "-" + id.substring(12, 14) + "-" + id.substring(14, 16));

    Map<String, Object> summary = saved.summary(id);
    assertThat(summary.get("cpu_samples"))
        .as("jdk.ExecutionSample events, as the JDK's jfr tool counts them")
        .isEqualTo(jfrEventCount(profile.file(), "jdk.ExecutionSample"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> frames =
        (List<Map<String, Object>>) summary.get("top_application_frames");
    assertThat(frames)
        .extracting(f -> f.get("name"))
        .as("the method this test kept busy")
        .contains("dev.vigil.console.SavedProfilesTest.busyWork");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> slowest = (List<Map<String, Object>>) summary.get("slowest_requests");
    assertThat(slowest).extracting(r -> r.get("trace_id")).containsExactly(SLOW_TRACE, FAST_TRACE);
    assertThat(slowest.get(0))
        .containsEntry("method", "GET")
        .containsEntry("route", "/api/products/{id}")
        .containsEntry("status", 200)
        .containsEntry("duration_ms", 750.0);
    assertThat(saved.summary(id)).as("read once, then from the cache").isSameAs(summary);
  }

  @Test
  void withoutProfilesTheListIsEmptyAndAPathOrAnUnknownNameIsRefused() throws Exception {
    SavedProfiles saved = new SavedProfiles(state.resolve("profiles"));
    assertThat((List<?>) saved.list().get("profiles")).isEmpty();
    assertThatThrownBy(() -> saved.summary("../../etc/passwd"))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("is not a saved profile's file name");
    assertThatThrownBy(() -> saved.summary("catalog-20261202T060000Z-profile.jfr"))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("no saved profile catalog-20261202T060000Z-profile.jfr");
  }

  @Test
  void aRecordingThatCannotBeReadSaysSoInsteadOfFailingThePage() throws Exception {
    Path profiles = Files.createDirectories(state.resolve("profiles"));
    Files.writeString(profiles.resolve("catalog-20261202T060000Z-profile.jfr"), "not a recording");
    SavedProfiles saved = new SavedProfiles(profiles);
    assertThat((List<?>) saved.list().get("profiles")).hasSize(1);
    assertThatThrownBy(() -> saved.summary("catalog-20261202T060000Z-profile.jfr"))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("cannot be read")
        .satisfies(e -> assertThat(((ProblemException) e).problem().status()).isEqualTo(409));
  }

  /** Burns CPU until told to stop: the hot method the summary must name. */
  static long busyWork(AtomicBoolean running) {
    long x = 0;
    while (running.get()) {
      for (int i = 0; i < 100_000; i++) {
        x += Long.numberOfTrailingZeros(x + i) ^ i;
      }
    }
    return x;
  }

  /** One served request as telemetry records it for JFR, inside a span of the given trace. */
  private static void serve(String traceId, double seconds) {
    SpanContext context =
        SpanContext.create(
            traceId, "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());
    try (Scope scope = Span.wrap(context).makeCurrent()) {
      ServerSpanEvent.emit("GET", "/api/products/{id}", 200, seconds);
    }
  }

  /** Waits (at most 30 s) until the profile's JFR recording runs. */
  private static void awaitRecording() {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      boolean running =
          FlightRecorder.isInitialized()
              && FlightRecorder.getFlightRecorder().getRecordings().stream()
                  .anyMatch(r -> r.getState() == RecordingState.RUNNING);
      if (running) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** How many events of a type a recording holds, as the JDK's {@code jfr summary} counts them. */
  static long jfrEventCount(Path recording, String eventType) throws Exception {
    Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
    Process p =
        new ProcessBuilder(jfr.toString(), "summary", recording.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("jfr summary: %s", out).isZero();
    for (String line : out.split("\n")) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length >= 2 && cols[0].equals(eventType)) {
        return Long.parseLong(cols[1]);
      }
    }
    return 0;
  }
}

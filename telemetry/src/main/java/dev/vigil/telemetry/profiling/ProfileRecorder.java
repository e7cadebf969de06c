package dev.vigil.telemetry.profiling;

import dev.vigil.prometheus.StateDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On-demand profiling of the running service: records JDK Flight Recorder in-process ({@code
 * jdk.jfr.Recording}) for a bounded time, saves the recording to a directory and summarises it
 * ({@link ProfileSummary}). One recording at a time per recorder; the recording files kept are
 * bounded ({@value #KEPT_RECORDINGS}, the oldest deleted first).
 */
public final class ProfileRecorder {

  /** Longest recording accepted, in seconds. */
  public static final int MAX_SECONDS = 300;

  /** Recordings kept in the directory per service; older ones are deleted. */
  public static final int KEPT_RECORDINGS = 20;

  private static final Logger LOG = LoggerFactory.getLogger(ProfileRecorder.class);
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path directory;
  private final String service;
  private final List<String> applicationPrefixes;
  private final Clock clock;
  private final AtomicReference<Instant> running = new AtomicReference<>();

  /**
   * @param directory where recordings are saved, e.g. {@code .vigil/profiles}; created when absent
   * @param service the service name, e.g. {@code catalog}, the prefix of each file name
   * @param applicationPrefixes class-name prefixes of the application's code, e.g. {@code
   *     ["dev.vigil."]}, for the summary's inclusive table
   */
  public ProfileRecorder(Path directory, String service, List<String> applicationPrefixes) {
    this(directory, service, applicationPrefixes, Clock.systemUTC());
  }

  /**
   * The recorder of a service as vigil runs it: recordings under {@code $VIGIL_DATA_DIR/profiles}
   * ({@code .vigil/profiles} by default), application frames {@code dev.vigil.}.
   *
   * @param service the service name, e.g. {@code catalog}
   * @param env the environment, usually {@code System.getenv()}
   * @return the recorder
   */
  public static ProfileRecorder fromEnvironment(String service, Map<String, String> env) {
    return inDataDir(StateDirectory.of(env), service);
  }

  /**
   * The recorder of a service whose data directory is known: recordings under {@code
   * <dataDir>/profiles}, application frames {@code dev.vigil.}.
   *
   * @param dataDir the service's data directory, e.g. {@code .vigil}
   * @param service the service name, e.g. {@code catalog}
   * @return the recorder
   */
  public static ProfileRecorder inDataDir(Path dataDir, String service) {
    return new ProfileRecorder(
        dataDir.resolve("profiles").toAbsolutePath().normalize(), service, List.of("dev.vigil."));
  }

  ProfileRecorder(Path directory, String service, List<String> applicationPrefixes, Clock clock) {
    this.directory = directory;
    this.service = service;
    this.applicationPrefixes = List.copyOf(applicationPrefixes);
    this.clock = clock;
  }

  /**
   * A finished profile.
   *
   * @param file the saved recording, e.g. {@code .vigil/profiles/catalog-20261202T060000Z.jfr}
   * @param settings the JFR configuration it ran with
   * @param seconds how long it recorded
   * @param summary what it says
   */
  public record Profile(Path file, ProfileSettings settings, int seconds, ProfileSummary summary) {

    /**
     * The summary as Markdown, titled with the service, length, settings and file.
     *
     * @param service the service name
     * @return Markdown text
     */
    public String toMarkdown(String service) {
      return summary.toMarkdown(
              "Profile of " + service + ", " + seconds + " s, JFR settings " + settings.jfcName())
          + "\nRecording: `"
          + file
          + "` (open it with `jfr print` or JDK Mission Control).\n";
    }
  }

  /** Thrown when a profile is asked for while another one runs. */
  public static final class ProfileInProgressException extends IllegalStateException {
    private final Instant startedAt;

    ProfileInProgressException(Instant startedAt) {
      super("a profile is already being recorded since " + startedAt + ": wait for it to finish");
      this.startedAt = startedAt;
    }

    /** When the running profile began. */
    public Instant startedAt() {
      return startedAt;
    }
  }

  /**
   * Records for {@code seconds}, then saves and summarises the recording. Blocks the calling thread
   * for the whole recording.
   *
   * @param seconds how long to record, 1..{@value #MAX_SECONDS}
   * @param settings the JFR configuration
   * @return the saved, summarised profile
   * @throws IllegalArgumentException when seconds is out of range
   * @throws ProfileInProgressException when another profile of this recorder is running
   * @throws IOException when the recording cannot be saved or read back
   * @throws InterruptedException when the waiting thread is interrupted (the recording is dropped)
   */
  public Profile record(int seconds, ProfileSettings settings)
      throws IOException, InterruptedException {
    if (seconds < 1 || seconds > MAX_SECONDS) {
      throw new IllegalArgumentException(
          "seconds is " + seconds + ": give a whole number from 1 to " + MAX_SECONDS);
    }
    Instant now = clock.instant();
    if (!running.compareAndSet(null, now)) {
      throw new ProfileInProgressException(running.get());
    }
    try {
      Files.createDirectories(directory);
      Path file =
          directory.resolve(
              service + "-" + FILE_TIME.format(now) + "-" + settings.jfcName() + ".jfr");
      LOG.info("profiling {} for {} s with JFR settings {}", service, seconds, settings.jfcName());
      try (Recording recording = new Recording(settings.configuration())) {
        recording.setName("vigil-profile-" + service);
        recording.enable(ServerSpanEvent.class);
        recording.setToDisk(true);
        recording.start();
        Thread.sleep(Duration.ofSeconds(seconds));
        recording.stop();
        recording.dump(file);
      }
      ProfileSummary summary = ProfileSummary.read(file, applicationPrefixes);
      LOG.info("profile of {} saved to {}", service, file);
      pruneOldRecordings();
      return new Profile(file, settings, seconds, summary);
    } finally {
      running.set(null);
    }
  }

  /** Where recordings are saved. */
  public Path directory() {
    return directory;
  }

  /** The service name recordings are named after. */
  public String service() {
    return service;
  }

  private void pruneOldRecordings() throws IOException {
    List<Path> mine;
    try (Stream<Path> files = Files.list(directory)) {
      mine =
          files
              .filter(p -> p.getFileName().toString().startsWith(service + "-"))
              .filter(p -> p.getFileName().toString().endsWith(".jfr"))
              .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
              .toList();
    }
    for (Path old : mine.subList(Math.min(KEPT_RECORDINGS, mine.size()), mine.size())) {
      Files.deleteIfExists(old);
    }
  }
}

package dev.vigil.console;

import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import dev.vigil.telemetry.profiling.ProfileSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The profiles page's data: the JDK Flight Recorder recordings the services saved on demand ({@code
 * POST /admin/profile}, {@code vigil profile}) under {@code <state dir>/profiles/}, listed newest
 * first, and one of them summarised with telemetry's {@link ProfileSummary} (the same summary
 * {@code vigil profile} prints). Read-only: the console never starts a recording.
 *
 * <p>A request names a recording by its file name only; it must be one of the directory's own
 * {@code *.jfr} files, never a path. Summaries are cached per file (name, size and modification
 * time), so reopening one costs nothing.
 */
final class SavedProfiles {

  /**
   * A recording's file name as telemetry's {@code ProfileRecorder} writes it: {@code
   * <service>-<yyyyMMdd'T'HHmmss'Z'>-<settings>.jfr}, e.g. {@code
   * catalog-20261202T060000Z-profile.jfr}.
   */
  static final Pattern RECORDING =
      Pattern.compile("([A-Za-z0-9_.]+(?:-[A-Za-z0-9_.]+)*?)-(\\d{8}T\\d{6}Z)-([a-z]+)\\.jfr");

  /** A name the console accepts in a request: one file name, no separators. */
  static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,200}\\.jfr");

  /** Summaries kept in memory. */
  static final int CACHED_SUMMARIES = 8;

  /** The application code of vigil's services, as {@code ProfileRecorder.inDataDir} marks it. */
  private static final List<String> APPLICATION_PREFIXES = List.of("dev.vigil.");

  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private final SavedFiles files;
  private final Map<String, Map<String, Object>> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
          return size() > CACHED_SUMMARIES;
        }
      };

  /**
   * @param directory the saved recordings, {@code <state dir>/profiles}; it may not exist
   */
  SavedProfiles(Path directory) {
    this.files =
        new SavedFiles(
            directory,
            FILE_NAME,
            "saved profile",
            "catalog-20261202T060000Z-profile.jfr",
            "record one with ./vigil profile --service catalog (old ones are deleted)");
  }

  /**
   * The saved recordings.
   *
   * @return {@code {directory, profiles: [{id, service, recorded_at, settings, bytes}]}}, newest
   *     first; {@code id} is the file name; an empty list when the directory does not exist
   * @throws ProblemException 500 when the directory exists and cannot be listed
   */
  Map<String, Object> list() {
    List<Map<String, Object>> profiles = new ArrayList<>();
    for (Path file : files.list()) {
      profiles.add(describe(file));
    }
    profiles.sort(
        Comparator.comparing((Map<String, Object> p) -> String.valueOf(p.get("recorded_at")))
            .reversed()
            .thenComparing(p -> String.valueOf(p.get("id"))));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("directory", files.directory().toString());
    body.put("profiles", profiles);
    return body;
  }

  /**
   * One recording's summary.
   *
   * @param id the recording's file name, as {@link #list()} gives it
   * @return {@code {id, service, recorded_at, settings, bytes, start, end, window_seconds,
   *     cpu_samples, top_methods: [{name, count, share}], top_application_frames: [...],
   *     allocation_sites: [{name, count (bytes), share}], gc_pauses: [{at, collector, cause,
   *     pause_ms}], gc_pause_total_ms, contended_locks: [{monitor_class, frame, waits, total_ms,
   *     longest_ms}], slowest_requests: [{at, trace_id, method, route, status, duration_ms}]}};
   *     shares are 0..1, a trace id is null when the request had none
   * @throws ProblemException 400 for a name that is not a recording's file name, 404 when there is
   *     no such recording, 409 when it cannot be read (e.g. still being written)
   */
  Map<String, Object> summary(String id) {
    Path file = files.find(id);
    String key;
    try {
      key = id + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      throw ProblemException.notFound("the profile " + id + " was just deleted");
    }
    synchronized (cache) {
      Map<String, Object> cached = cache.get(key);
      if (cached != null) {
        return cached;
      }
    }
    ProfileSummary summary;
    try {
      summary = ProfileSummary.read(file, APPLICATION_PREFIXES);
    } catch (IOException e) {
      throw new ProblemException(
          Problem.of(
              409,
              "the recording "
                  + id
                  + " cannot be read ("
                  + e.getMessage()
                  + "): if it is being written, try again in a moment"));
    }
    Map<String, Object> body = describe(file);
    body.putAll(toJson(summary));
    synchronized (cache) {
      cache.put(key, body);
    }
    return body;
  }

  /** What the file name (and the file) say: service, time, settings, size. */
  private static Map<String, Object> describe(Path file) {
    String name = file.getFileName().toString();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", name);
    Matcher matcher = RECORDING.matcher(name);
    Instant at = null;
    if (matcher.matches()) {
      m.put("service", matcher.group(1));
      at = LocalDateTime.parse(matcher.group(2), FILE_TIME).toInstant(ZoneOffset.UTC);
      m.put("settings", matcher.group(3));
    } else {
      m.put("service", null);
      m.put("settings", null);
    }
    long bytes = -1;
    try {
      bytes = Files.size(file);
      if (at == null) {
        at = Files.getLastModifiedTime(file).toInstant();
      }
    } catch (IOException deleted) {
      // pruned by its service meanwhile: listed without size
    }
    m.put("recorded_at", at == null ? null : at.toString());
    m.put("bytes", bytes);
    return m;
  }

  private static Map<String, Object> toJson(ProfileSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("start", s.start().toString());
    m.put("end", s.end().toString());
    m.put("window_seconds", Duration.between(s.start(), s.end()).toMillis() / 1000.0);
    m.put("cpu_samples", s.cpuSamples());
    m.put("top_methods", rows(s.topMethods()));
    m.put("top_application_frames", rows(s.topApplicationFrames()));
    m.put("allocation_sites", rows(s.allocationSites()));
    List<Map<String, Object>> gcs = new ArrayList<>();
    for (ProfileSummary.GcPause gc : s.gcPauses()) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("at", gc.at().toString());
      g.put("collector", gc.collector());
      g.put("cause", gc.cause());
      g.put("pause_ms", millis(gc.pauses()));
      gcs.add(g);
    }
    m.put("gc_pauses", gcs);
    m.put("gc_pause_total_ms", millis(s.gcPauseTotal()));
    List<Map<String, Object>> locks = new ArrayList<>();
    for (ProfileSummary.LockRow lock : s.contendedLocks()) {
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("monitor_class", lock.monitorClass());
      l.put("frame", lock.frame());
      l.put("waits", lock.waits());
      l.put("total_ms", millis(lock.total()));
      l.put("longest_ms", millis(lock.longest()));
      locks.add(l);
    }
    m.put("contended_locks", locks);
    List<Map<String, Object>> spans = new ArrayList<>();
    for (ProfileSummary.Span span : s.slowestSpans()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("at", span.at().toString());
      r.put(
          "trace_id",
          span.traceId() != null && TraceLogs.TRACE_ID.matcher(span.traceId()).matches()
              ? span.traceId()
              : null);
      r.put("method", span.method());
      r.put("route", span.route());
      r.put("status", span.status());
      r.put("duration_ms", millis(span.duration()));
      spans.add(r);
    }
    m.put("slowest_requests", spans);
    return m;
  }

  private static List<Map<String, Object>> rows(List<ProfileSummary.Row> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ProfileSummary.Row row : rows) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("name", row.name());
      r.put("count", row.count());
      r.put("share", row.share());
      out.add(r);
    }
    return out;
  }

  private static double millis(Duration d) {
    return d.toNanos() / 1e6;
  }
}

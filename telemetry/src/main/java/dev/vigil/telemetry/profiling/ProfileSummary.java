package dev.vigil.telemetry.profiling;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a JFR recording says about a service, read with the JDK's own {@code jdk.jfr.consumer} API:
 * where the CPU went, what allocated, how long GC paused the application, which locks threads
 * waited on, and which requests were slowest (with their trace ids).
 *
 * @param start first event's time
 * @param end last event's time
 * @param cpuSamples {@code jdk.ExecutionSample} events (one per sampled running thread, every 10 or
 *     20 ms depending on the settings)
 * @param topMethods methods on top of the sampled stacks (self time), most samples first
 * @param topApplicationFrames application methods anywhere in the sampled stacks (inclusive time;
 *     each counted once per sample), most samples first
 * @param allocationSites top frames of {@code jdk.ObjectAllocationSample} events weighted by their
 *     estimated bytes, most bytes first
 * @param allocatedBytes the bytes the sampled threads allocated in the window, estimated from the
 *     samples' weights (bytes); each thread's first sample is left out, since its weight reaches
 *     back before the recording, so a thread's allocations before its first sample are missed
 * @param gcPauses {@code jdk.GarbageCollection} events, the longest total pause first
 * @param gcPauseTotal the sum of all GC pauses in the window
 * @param contendedLocks {@code jdk.JavaMonitorEnter} events (threads blocked entering a monitor
 *     longer than the settings' threshold: 20 ms default, 10 ms profile) by monitor class and
 *     waiting frame, most total wait first
 * @param slowestSpans {@link ServerSpanEvent}s, the slowest first
 */
public record ProfileSummary(
    Instant start,
    Instant end,
    long cpuSamples,
    List<Row> topMethods,
    List<Row> topApplicationFrames,
    List<Row> allocationSites,
    long allocatedBytes,
    List<GcPause> gcPauses,
    Duration gcPauseTotal,
    List<LockRow> contendedLocks,
    List<Span> slowestSpans) {

  private static final Pattern HIDDEN_SUFFIX = Pattern.compile("[./]0x[0-9a-f]+");

  /** Rows kept per table. */
  public static final int TOP = 10;

  /**
   * The fewest CPU samples from which methods are ranked. A method's share of n samples has a
   * standard error of sqrt(p(1-p)/n): with 100 samples a 10% share is known to about 3 points, so
   * methods more than about 6 points apart are ordered by more than chance; with 10 samples, by
   * nothing (a share's error is about 10 points).
   */
  public static final long MIN_RANKABLE_SAMPLES = 100;

  /**
   * One method and how often it was seen.
   *
   * @param name {@code package.Class.method}
   * @param count samples (CPU tables) or estimated bytes (allocation table)
   * @param share the count's share of the table's total, 0..1
   */
  public record Row(String name, long count, double share) {}

  /**
   * One garbage collection.
   *
   * @param at when it began
   * @param collector e.g. {@code G1New}
   * @param cause e.g. {@code G1 Evacuation Pause}
   * @param pauses the sum of its stop-the-world pauses
   */
  public record GcPause(Instant at, String collector, String cause, Duration pauses) {}

  /**
   * One contended monitor at one place.
   *
   * @param monitorClass the class of the locked object
   * @param frame the first frame of the waiting thread, {@code Class.method}
   * @param waits how many times a thread waited past the threshold
   * @param total total time waited
   * @param longest longest wait
   */
  public record LockRow(
      String monitorClass, String frame, long waits, Duration total, Duration longest) {}

  /**
   * One served request.
   *
   * @param at when it ended
   * @param traceId its trace id, or {@code null} without tracing
   * @param method HTTP method
   * @param route route template, or {@code null} when none matched
   * @param status response status
   * @param duration server-side duration
   */
  public record Span(
      Instant at, String traceId, String method, String route, int status, Duration duration) {}

  /**
   * Reads a recording.
   *
   * @param recording a {@code .jfr} file
   * @param applicationPrefixes class-name prefixes of the application's code, e.g. {@code
   *     ["dev.vigil."]}, for the inclusive table
   * @return the summary (tables of at most {@value #TOP} rows)
   * @throws IOException when the file cannot be read or is not a recording
   */
  public static ProfileSummary read(Path recording, List<String> applicationPrefixes)
      throws IOException {
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> inclusive = new HashMap<>();
    Map<String, Long> allocations = new HashMap<>();
    Set<Long> sampledThreads = new HashSet<>();
    Map<String, LockAccumulator> locks = new HashMap<>();
    List<GcPause> gcs = new ArrayList<>();
    List<Span> spans = new ArrayList<>();
    long samples = 0;
    Instant start = null;
    Instant end = null;
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        Instant at = event.getStartTime();
        start = start == null || at.isBefore(start) ? at : start;
        end = end == null || event.getEndTime().isAfter(end) ? event.getEndTime() : end;
        switch (event.getEventType().getName()) {
          case "jdk.ExecutionSample" -> {
            samples++;
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
              continue;
            }
            self.merge(name(stack.getFrames().get(0)), 1L, Long::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : stack.getFrames()) {
              String name = name(frame);
              if (isApplication(name, applicationPrefixes) && seen.add(name)) {
                inclusive.merge(name, 1L, Long::sum);
              }
            }
          }
          case "jdk.ObjectAllocationSample" -> {
            // A sample's weight is what its thread allocated since the thread's previous sample;
            // the first one of each thread in a recording therefore also weighs all the thread
            // allocated before the recording (a server thread's whole life: 30-70x the window's
            // figure). It only marks where the thread's count starts.
            RecordedThread thread = event.getThread();
            if (thread == null || sampledThreads.add(thread.getId())) {
              continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            String site =
                stack == null || stack.getFrames().isEmpty()
                    ? "(no stack)"
                    : name(stack.getFrames().get(0));
            RecordedClass type = event.getClass("objectClass");
            String key = site + " (" + (type == null ? "?" : type.getName()) + ")";
            allocations.merge(key, event.getLong("weight"), Long::sum);
          }
          case "jdk.GarbageCollection" ->
              gcs.add(
                  new GcPause(
                      at,
                      event.getString("name"),
                      event.getString("cause"),
                      event.getDuration("sumOfPauses")));
          case "jdk.JavaMonitorEnter" -> {
            RecordedClass monitor = event.getClass("monitorClass");
            RecordedStackTrace stack = event.getStackTrace();
            String frame =
                stack == null || stack.getFrames().isEmpty() ? "?" : name(stack.getFrames().get(0));
            String monitorName = monitor == null ? "?" : monitor.getName();
            locks
                .computeIfAbsent(
                    monitorName + "\n" + frame, k -> new LockAccumulator(monitorName, frame))
                .add(event.getDuration());
          }
          case ServerSpanEvent.NAME ->
              spans.add(
                  new Span(
                      event.getEndTime(),
                      event.getString("traceId"),
                      event.getString("method"),
                      event.getString("route"),
                      event.getInt("status"),
                      event.getDuration("durationNanos")));
          default -> {}
        }
      }
    }
    gcs.sort(Comparator.comparing(GcPause::pauses).reversed());
    Duration gcTotal = gcs.stream().map(GcPause::pauses).reduce(Duration.ZERO, Duration::plus);
    spans.sort(Comparator.comparing(Span::duration).reversed());
    List<LockRow> lockRows =
        locks.values().stream()
            .map(LockAccumulator::row)
            .sorted(Comparator.comparing(LockRow::total).reversed())
            .limit(TOP)
            .toList();
    Instant now = Instant.now();
    long allocated = allocations.values().stream().mapToLong(Long::longValue).sum();
    return new ProfileSummary(
        start == null ? now : start,
        end == null ? now : end,
        samples,
        top(self, samples),
        top(inclusive, samples),
        top(allocations, allocated),
        allocated,
        List.copyOf(gcs.subList(0, Math.min(TOP, gcs.size()))),
        gcTotal,
        lockRows,
        List.copyOf(spans.subList(0, Math.min(TOP, spans.size()))));
  }

  /**
   * Whether there are enough CPU samples ({@value #MIN_RANKABLE_SAMPLES}) for the CPU tables to
   * rank methods.
   */
  public boolean enoughCpuSamples() {
    return cpuSamples >= MIN_RANKABLE_SAMPLES;
  }

  /**
   * What the CPU tables are worth: empty when there are enough samples, else a sentence saying
   * there are too few to rank methods.
   *
   * @return the caution, or an empty string
   */
  public String cpuCaution() {
    return enoughCpuSamples()
        ? ""
        : "Too few to rank methods: "
            + cpuSamples
            + " samples (fewer than "
            + MIN_RANKABLE_SAMPLES
            + "; profile longer or under load).";
  }

  /**
   * The summary as Markdown: a header with the window, then one table per concern.
   *
   * @param title the first heading, e.g. {@code Profile of catalog, 30 s, settings profile}
   * @return Markdown text
   */
  public String toMarkdown(String title) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(title).append("\n\n");
    md.append("Window: ")
        .append(start)
        .append(" to ")
        .append(end)
        .append(" (")
        .append(seconds(Duration.between(start, end)))
        .append(")\n\n");

    md.append("## Top methods by CPU samples (self)\n\n");
    md.append(cpuSamples).append(" samples (`jdk.ExecutionSample`).");
    md.append(enoughCpuSamples() ? "" : " " + cpuCaution()).append("\n\n");
    rows(md, "method", "samples", topMethods);

    md.append("\n## Top application frames by CPU samples (inclusive)\n\n");
    rows(md, "method", "samples", topApplicationFrames);

    md.append("\n## Top allocation sites (`jdk.ObjectAllocationSample`, estimated bytes)\n\n");
    md.append(
        String.format(
            Locale.ROOT, "%,d bytes allocated in the window (estimated).\n\n", allocatedBytes));
    rows(md, "site (type)", "bytes", allocationSites);

    md.append("\n## GC pauses\n\n");
    md.append("Total paused ")
        .append(millis(gcPauseTotal))
        .append(" (the longest collections below).\n\n");
    if (gcPauses.isEmpty()) {
      md.append("No garbage collection in the window.\n");
    } else {
      md.append("| at | collector | cause | paused |\n|---|---|---|---:|\n");
      for (GcPause gc : gcPauses) {
        md.append("| ")
            .append(gc.at())
            .append(" | ")
            .append(gc.collector())
            .append(" | ")
            .append(gc.cause())
            .append(" | ")
            .append(millis(gc.pauses()))
            .append(" |\n");
      }
    }

    md.append("\n## Contended locks (`jdk.JavaMonitorEnter`)\n\n");
    if (contendedLocks.isEmpty()) {
      md.append("No thread waited on a monitor past the threshold.\n");
    } else {
      md.append(
          "| monitor class | waiting at | waits | total | longest |\n|---|---|---:|---:|---:|\n");
      for (LockRow lock : contendedLocks) {
        md.append("| `")
            .append(lock.monitorClass())
            .append("` | `")
            .append(lock.frame())
            .append("` | ")
            .append(lock.waits())
            .append(" | ")
            .append(millis(lock.total()))
            .append(" | ")
            .append(millis(lock.longest()))
            .append(" |\n");
      }
    }

    md.append("\n## Slowest requests in the window\n\n");
    if (slowestSpans.isEmpty()) {
      md.append("No request was served in the window.\n");
    } else {
      md.append("| duration | method | route | status | trace id | ended |\n");
      md.append("|---:|---|---|---:|---|---|\n");
      for (Span span : slowestSpans) {
        md.append("| ")
            .append(millis(span.duration()))
            .append(" | ")
            .append(span.method())
            .append(" | `")
            .append(span.route() == null ? "(no route)" : span.route())
            .append("` | ")
            .append(span.status())
            .append(" | ")
            .append(span.traceId() == null ? "-" : "`" + span.traceId() + "`")
            .append(" | ")
            .append(span.at())
            .append(" |\n");
      }
    }
    return md.toString();
  }

  private static void rows(StringBuilder md, String what, String unit, List<Row> rows) {
    if (rows.isEmpty()) {
      md.append("None recorded.\n");
      return;
    }
    md.append("| ").append(what).append(" | ").append(unit).append(" | share |\n|---|---:|---:|\n");
    for (Row row : rows) {
      md.append("| `")
          .append(row.name())
          .append("` | ")
          .append(row.count())
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.1f%%", row.share() * 100))
          .append(" |\n");
    }
  }

  private static List<Row> top(Map<String, Long> counts, long total) {
    return counts.entrySet().stream()
        .sorted(
            Map.Entry.<String, Long>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(TOP)
        .map(e -> new Row(e.getKey(), e.getValue(), total == 0 ? 0 : (double) e.getValue() / total))
        .toList();
  }

  /** {@code Class.method}, hidden classes' per-run suffixes ({@code $$Lambda.0x7f...}) removed. */
  private static String name(RecordedFrame frame) {
    String type = HIDDEN_SUFFIX.matcher(frame.getMethod().getType().getName()).replaceAll("");
    return type + "." + frame.getMethod().getName();
  }

  private static boolean isApplication(String name, List<String> prefixes) {
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static String millis(Duration d) {
    return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1e3);
  }

  private static final class LockAccumulator {
    private final String monitorClass;
    private final String frame;
    private long waits;
    private Duration total = Duration.ZERO;
    private Duration longest = Duration.ZERO;

    LockAccumulator(String monitorClass, String frame) {
      this.monitorClass = monitorClass;
      this.frame = frame;
    }

    void add(Duration wait) {
      waits++;
      total = total.plus(wait);
      if (wait.compareTo(longest) > 0) {
        longest = wait;
      }
    }

    LockRow row() {
      return new LockRow(monitorClass, frame, waits, total, longest);
    }
  }
}

package dev.vigil.telemetry.errors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fingerprints a service has already seen, each with the release that first saw it: what tells
 * the {@link ErrorTracker} whether a failure is a new error group (logged once at WARN) or a known
 * one.
 *
 * <p>Bounded: at most {@code capacity} fingerprints, the least recently seen forgotten first. With
 * a file, the set survives restarts, so a restart of the same release announces nothing again and a
 * new release announces only the fingerprints no earlier release saw. The file is rewritten
 * (temporary file, then an atomic rename, so a crash leaves the old or the new file, never half of
 * one) when a fingerprint is added, at most once per {@link #MIN_WRITE_INTERVAL_NANOS} (a burst of
 * new fingerprints is one write, the rest follow with the next new one or at {@link #save()}), and
 * at {@link #save()}. It is UTF-8 text, one fingerprint a line, the least recently seen first:
 *
 * <pre>
 * # vigil known error fingerprints v1: fingerprint TAB release first seen, least recently seen first
 * 5c0f8e1b2a3d4f60	0.1.0
 * </pre>
 *
 * A file that cannot be read, or is not in that form, is not trusted: the set starts empty, with
 * one WARN naming the file, and the next write replaces it. A file that cannot be written costs
 * only the memory across restarts (one WARN until a write succeeds again). Thread-safe.
 */
final class KnownFingerprints {

  /** The first line of the file; a file without it is not read. */
  static final String HEADER =
      "# vigil known error fingerprints v1: fingerprint TAB release first seen, least recently seen first";

  /** Shortest time between two writes caused by new fingerprints: one second, in nanoseconds. */
  static final long MIN_WRITE_INTERVAL_NANOS = 1_000_000_000L;

  /** Longest release kept, in characters; longer ones are cut. */
  static final int MAX_RELEASE_CHARS = 64;

  private static final Logger LOG = LoggerFactory.getLogger(KnownFingerprints.class);
  private static final Pattern LINE =
      Pattern.compile("[0-9a-f]{16}\t\\S{1," + MAX_RELEASE_CHARS + "}");

  private final int capacity;
  private final Path file;

  /** fingerprint -> release first seen; access order, the least recently seen first. */
  private final LinkedHashMap<String, String> known;

  private boolean dirty;
  private boolean writeFailing;
  private long lastWriteNanos;
  private boolean writeAttempted;

  private KnownFingerprints(int capacity, Path file) {
    this.capacity = capacity;
    this.file = file;
    this.known =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > KnownFingerprints.this.capacity;
          }
        };
  }

  /**
   * A set held in memory only: a restart forgets it.
   *
   * @param capacity most fingerprints kept, at least 1
   * @return an empty set
   */
  static KnownFingerprints inMemory(int capacity) {
    return new KnownFingerprints(capacity, null);
  }

  /**
   * A set kept in a file, loaded from it now when it exists.
   *
   * @param file the file, e.g. {@code .vigil/errors/catalog-known-fingerprints.tsv}; its directory
   *     is created on the first write
   * @param capacity most fingerprints kept, at least 1; a longer file keeps its most recently seen
   * @return the set as the file holds it, or empty (with one WARN) when the file is unreadable or
   *     malformed
   */
  static KnownFingerprints inFile(Path file, int capacity) {
    KnownFingerprints set = new KnownFingerprints(capacity, file);
    set.load();
    return set;
  }

  /**
   * Remembers a fingerprint as seen now.
   *
   * @param fingerprint 16 hex digits
   * @param release the release seeing it now, e.g. {@code 0.2.0}
   * @return the release that first saw it when it was already known, or {@code null} when it is new
   *     (it is then remembered with {@code release}, and written to the file unless a write
   *     happened less than a second ago)
   */
  synchronized String remember(String fingerprint, String release) {
    String firstRelease = known.get(fingerprint); // access order: now the most recently seen
    dirty = true;
    if (firstRelease != null) {
      return firstRelease;
    }
    known.put(fingerprint, storable(release));
    if (!writeAttempted || System.nanoTime() - lastWriteNanos >= MIN_WRITE_INTERVAL_NANOS) {
      save();
    }
    return null;
  }

  /** How many fingerprints are known. */
  synchronized int size() {
    return known.size();
  }

  /** Writes the set to its file, when it has one and changed since the last write. */
  synchronized void save() {
    if (file == null || !dirty) {
      return;
    }
    writeAttempted = true;
    lastWriteNanos = System.nanoTime();
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    for (Map.Entry<String, String> entry : known.entrySet()) {
      text.append(entry.getKey()).append('\t').append(entry.getValue()).append('\n');
    }
    try {
      Path directory = file.toAbsolutePath().getParent();
      Files.createDirectories(directory);
      Path temporary = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
      try {
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        try {
          Files.move(
              temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temporary);
      }
      dirty = false;
      writeFailing = false;
    } catch (IOException | RuntimeException e) {
      if (!writeFailing) {
        writeFailing = true;
        LOG.atWarn()
            .addKeyValue("file", file.toString())
            .log(
                "cannot write the known error fingerprints to {} ({}): error tracking goes on,"
                    + " but after a restart known groups will be announced as new again;"
                    + " make the directory writable or set another data directory",
                file,
                e.toString());
      }
    }
  }

  private void load() {
    List<String> lines;
    try {
      long limit = HEADER.length() + 1 + (long) capacity * (16 + 1 + MAX_RELEASE_CHARS + 1);
      long size = Files.size(file);
      if (size > limit) {
        distrust(size + " bytes is more than " + capacity + " fingerprints take (" + limit + ")");
        return;
      }
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return; // the first start: nothing known yet
    } catch (IOException | RuntimeException e) {
      distrust("it cannot be read (" + e + ")");
      return;
    }
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      distrust("its first line is not vigil's header '" + HEADER + "'");
      return;
    }
    List<String[]> entries = new ArrayList<>(lines.size() - 1);
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!LINE.matcher(line).matches()) {
        distrust(
            "line "
                + (i + 1)
                + " is not '<16 hex digits> TAB <release>': '"
                + (line.length() > 80 ? line.substring(0, 80) + "…" : line)
                + "'");
        return;
      }
      entries.add(line.split("\t", 2));
    }
    for (String[] entry : entries) { // least recently seen first: the eldest drop out beyond cap
      known.put(entry[0], entry[1]);
    }
  }

  private void distrust(String why) {
    known.clear();
    dirty = true; // the next write replaces the file
    LOG.atWarn()
        .addKeyValue("file", file.toString())
        .log(
            "ignoring the known error fingerprints in {}: {}; starting with none known, so each"
                + " error group will be announced once as new; the file is rewritten on the next"
                + " new group",
            file,
            why);
  }

  private static String storable(String release) {
    String cleaned = release.replaceAll("\\s", "_");
    return cleaned.length() <= MAX_RELEASE_CHARS
        ? cleaned
        : cleaned.substring(0, MAX_RELEASE_CHARS);
  }
}

package dev.vigil.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * "Logs of this trace": the JSON log lines whose {@code trace_id} is a given trace id, read from
 * the stack's log directory. The request names only the trace id, validated as 32 lower-case hex
 * digits (W3C trace context); the files are the directory's own {@code *.log} files, never a path
 * from the request. The scan is bounded: the last {@value #TAIL_BYTES} bytes of each file and at
 * most {@value #MAX_LINES} matching lines.
 */
final class TraceLogs {

  /** A W3C trace id: 32 lower-case hex digits, not all zero. */
  static final Pattern TRACE_ID = Pattern.compile("(?!0{32})[0-9a-f]{32}");

  /** How much of the end of each log file is scanned. */
  static final long TAIL_BYTES = 16L * 1024 * 1024;

  /** The most lines returned. */
  static final int MAX_LINES = 500;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;

  /**
   * @param directory the stack's log directory, e.g. {@code .vigil/logs}; it may not exist
   */
  TraceLogs(Path directory) {
    this.directory = directory;
  }

  /**
   * One line of a log file that belongs to the trace.
   *
   * @param file the log file's name, e.g. {@code catalog.log}
   * @param line the JSON line as written
   */
  record Line(String file, String line) {}

  /**
   * @param traceId the trace id from the request
   * @return the trace's JSON lines, per file in file-name order, in file order within a file
   * @throws ProblemException 400 when the id is not 32 lower-case hex digits
   */
  List<Line> of(String traceId) {
    if (traceId == null || !TRACE_ID.matcher(traceId).matches()) {
      throw new ProblemException(
          Problem.of(
              400,
              "trace id '"
                  + traceId
                  + "' is not a W3C trace id: 32 lower-case hex digits, e.g. "
                  + "4bf92f3577b34da6a3ce929d0e0e4736"));
    }
    List<Line> out = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return out;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(directory)) {
      files =
          list.filter(f -> f.getFileName().toString().endsWith(".log") && Files.isRegularFile(f))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new ProblemException(
          Problem.of(500, "cannot list the log directory " + directory + ": " + e.getMessage()));
    }
    String needle = "\"" + traceId + "\"";
    for (Path f : files) {
      for (String line : tail(f)) {
        if (out.size() >= MAX_LINES) {
          return out;
        }
        if (line.contains(needle) && hasTraceId(line, traceId)) {
          out.add(new Line(f.getFileName().toString(), line));
        }
      }
    }
    return out;
  }

  private static boolean hasTraceId(String line, String traceId) {
    try {
      JsonNode node = JSON.readTree(line);
      return node != null && traceId.equals(node.path("trace_id").asText(null));
    } catch (IOException notJson) {
      return false;
    }
  }

  /** The complete lines of the last {@link #TAIL_BYTES} bytes of a file. */
  private static List<String> tail(Path file) {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      long start = Math.max(0, length - TAIL_BYTES);
      byte[] bytes = new byte[(int) (length - start)];
      raf.seek(start);
      raf.readFully(bytes);
      List<String> lines =
          new ArrayList<>(List.of(new String(bytes, StandardCharsets.UTF_8).split("\n")));
      if (start > 0 && !lines.isEmpty()) {
        lines.remove(0); // cut mid-line
      }
      return lines;
    } catch (IOException e) {
      return List.of();
    }
  }
}

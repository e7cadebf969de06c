package dev.vigil.console;

import dev.vigil.telemetry.http.ProblemException;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The backtests page's data: the HTML reports {@code vigil slo backtest --format html} saved under
 * {@code <state dir>/backtests/}, listed newest first, and one of them served as it is. Read-only:
 * the console never runs a backtest (it starts a replay Prometheus; the CLI does that).
 *
 * <p>A report is self-contained (inline SVG and style, no script). It is served with a content
 * security policy that forbids scripts and any fetch, and the page shows it in a sandboxed frame,
 * so a file dropped into the directory cannot act in the console's origin. A request names a report
 * by its file name only, never a path.
 */
final class SavedBacktests {

  /** A name the console accepts in a request: one file name, no separators. */
  static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,200}\\.html");

  /** What a served report may do: show its own inline style and data images, nothing else. */
  static final String POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";

  private final SavedFiles files;

  /**
   * @param directory the saved reports, {@code <state dir>/backtests}; it may not exist
   */
  SavedBacktests(Path directory) {
    this.files =
        new SavedFiles(
            directory,
            FILE_NAME,
            "saved backtest",
            "backtest-20261207T170000Z.html",
            "write one with ./vigil slo backtest slos/ --from 1h --format html");
  }

  /**
   * The saved reports.
   *
   * @return {@code {directory, backtests: [{id, saved_at, bytes}]}}, newest first; {@code id} is
   *     the file name, {@code saved_at} its modification time (ISO-8601); an empty list when the
   *     directory does not exist
   * @throws ProblemException 500 when the directory exists and cannot be listed
   */
  Map<String, Object> list() {
    List<Map<String, Object>> reports = new ArrayList<>();
    for (Path file : files.list()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", file.getFileName().toString());
      try {
        m.put("saved_at", Files.getLastModifiedTime(file).toInstant().toString());
        m.put("bytes", Files.size(file));
      } catch (IOException deleted) {
        continue; // removed meanwhile
      }
      reports.add(m);
    }
    reports.sort(
        Comparator.comparing((Map<String, Object> r) -> String.valueOf(r.get("saved_at")))
            .reversed()
            .thenComparing(r -> String.valueOf(r.get("id"))));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("directory", files.directory().toString());
    body.put("backtests", reports);
    return body;
  }

  /**
   * Answers one saved report as HTML under {@link #POLICY}.
   *
   * @param ctx the request
   * @param id the report's file name, as {@link #list()} gives it
   * @throws ProblemException 400 for a name that is not a report's file name, 404 when there is no
   *     such report
   */
  void serve(Context ctx, String id) {
    Path file = files.find(id);
    byte[] html;
    try {
      html = Files.readAllBytes(file);
    } catch (IOException e) {
      throw ProblemException.notFound("the backtest " + id + " was just deleted");
    }
    ctx.header("Content-Security-Policy", POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("Cache-Control", "no-cache")
        .contentType("text/html; charset=utf-8")
        .result(html);
  }
}

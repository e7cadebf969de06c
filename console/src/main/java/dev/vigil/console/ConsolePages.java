package dev.vigil.console;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's HTML pages, with their scripts and style sheets addressed by version ({@code
 * /console.js?v=<version>}), so the browser keeps those for good ({@link #ASSET_CACHE}) and a
 * navigation fetches only the page itself, which is never cached ({@code no-cache}). The version
 * changes with each start of the console, so a new console's pages never meet an old script.
 */
final class ConsolePages {

  /** The pages, as files under {@code /console} on the class path. */
  static final List<String> PAGES =
      List.of(
          "index.html",
          "dashboards.html",
          "dashboard.html",
          "slo.html",
          "alerts.html",
          "logs.html",
          "errors.html",
          "profiles.html",
          "backtests.html");

  /** The {@code Cache-Control} of versioned scripts and style sheets: a year, never revalidated. */
  static final String ASSET_CACHE = "public, max-age=31536000, immutable";

  /** A script or style sheet reference of a page: {@code src="/x.js"} or {@code href="/x.css"}. */
  private static final Pattern ASSET =
      Pattern.compile("(src|href)=\"(/[A-Za-z0-9_./-]+\\.(?:js|css))\"");

  private final Map<String, byte[]> pages = new LinkedHashMap<>();

  /**
   * Reads the pages and versions their asset references.
   *
   * @param version the assets' version, e.g. the console's start time in base 36
   * @throws UncheckedIOException when a page is missing from the class path (a broken build)
   */
  ConsolePages(String version) {
    for (String page : PAGES) {
      try (InputStream in = ConsolePages.class.getResourceAsStream("/console/" + page)) {
        if (in == null) {
          throw new IOException("/console/" + page + " is not on the class path");
        }
        String html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        pages.put(page, versioned(html, version).getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the console's page " + page, e);
      }
    }
  }

  /**
   * A page's asset references with {@code ?v=<version>} appended.
   *
   * @param html the page
   * @param version the version
   * @return the page with versioned references
   */
  static String versioned(String html, String version) {
    return ASSET
        .matcher(html)
        .replaceAll(
            m ->
                Matcher.quoteReplacement(m.group(1) + "=\"" + m.group(2) + "?v=" + version + "\""));
  }

  /**
   * Answers one page, not cached.
   *
   * @param ctx the request
   * @param page one of {@link #PAGES}
   */
  void serve(Context ctx, String page) {
    ctx.header("Cache-Control", "no-cache")
        .contentType("text/html; charset=utf-8")
        .result(pages.get(page));
  }
}

package dev.vigil.slo.backtest;

import static dev.vigil.slo.report.HtmlReport.esc;

import dev.vigil.slo.model.AlertTier;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.report.HtmlReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code vigil slo backtest --format html}: one self-contained HTML file (inline SVG, no script,
 * nothing external; the shell of {@link HtmlReport#document}) that the console lists on its
 * backtests page. Per SLO: the budget figures, the SRE Workbook's four measures, and per alert tier
 * a chart of the burn rate over its long and short windows against the tier's factor, with the
 * notifications the tier would have sent shaded and the known incidents marked below.
 *
 * <p>The burn-rate axis is logarithmic (a page's factor of 14.4 and a full outage's 1,000 on a
 * 99.9% objective share one chart); each chart column shows the highest value of the minutes it
 * covers, so a one-minute spike is never averaged away.
 */
public final class BacktestHtml {

  private static final int WIDTH = 720;
  private static final int HEIGHT = 160;
  private static final int LEFT = 44;
  private static final int INCIDENT_ROW = 14;
  private static final String LONG_COLOR = "#0969da";
  private static final String SHORT_COLOR = "#bc4c00";
  private static final double MINUTE_SECONDS = 60;

  private BacktestHtml() {}

  /**
   * Renders backtests.
   *
   * @param results the backtests of the spec being tried, run with burn rates
   * @param candidates the backtests of {@code --compare}'s specs, or empty
   * @param incidents the known incidents they were scored against
   * @param command the command line that produced them, shown in the document
   * @return the HTML document
   */
  public static String render(
      List<Backtest.Result> results,
      List<Backtest.Result> candidates,
      List<Incident> incidents,
      String command) {
    StringBuilder h = new StringBuilder("<h1>SLO backtest</h1>\n");
    if (!results.isEmpty()) {
      h.append("<p>What the alerts would have sent between ")
          .append(esc(results.get(0).from().toString()))
          .append(" and ")
          .append(esc(results.get(0).to().toString()))
          .append(" (UTC), replayed minute by minute by Prometheus. <code>")
          .append(esc(command))
          .append("</code></p>\n");
    }
    h.append("<h2>Known incidents</h2>\n");
    if (incidents.isEmpty()) {
      h.append("<p>None in the range: precision and recall are not defined.</p>\n");
    } else {
      h.append("<table><tr><th>incident</th><th>start</th><th>end</th></tr>");
      for (Incident i : incidents) {
        h.append("<tr><td>")
            .append(esc(i.name()))
            .append("</td><td>")
            .append(i.start())
            .append("</td><td>")
            .append(i.end())
            .append("</td></tr>");
      }
      h.append("</table>\n");
    }
    for (Backtest.Result r : results) {
      section(h, r, incidents, "");
    }
    for (Backtest.Result r : candidates) {
      section(h, r, incidents, "candidate: ");
    }
    return HtmlReport.document("vigil SLO backtest", h.toString());
  }

  private static void section(
      StringBuilder h, Backtest.Result r, List<Incident> incidents, String who) {
    Slo slo = r.slo();
    Score score = Score.of(r, incidents);
    List<Incident> concerning = incidents.stream().filter(i -> i.concerns(slo.name())).toList();
    h.append("<h2>").append(esc(who + slo.service() + " / " + slo.name())).append("</h2>\n<table>");
    HtmlReport.row(
        h, "objective", slo.objectivePercent().toPlainString() + "% over " + slo.period());
    HtmlReport.row(h, "budget consumed by the range's events", percent(r.consumedPercent()));
    HtmlReport.row(h, "budget remaining over the period at the end", percent(r.remainingPercent()));
    HtmlReport.row(
        h,
        "pages / tickets",
        r.notifications(true) + " / " + r.notifications(false) + " notifications");
    HtmlReport.row(
        h,
        "recall",
        percent(score.recall() * 100) + " of " + score.detections().size() + " incidents");
    HtmlReport.row(
        h,
        "precision",
        percent(score.precision() * 100)
            + " ("
            + score.belonging()
            + " of "
            + score.notifications()
            + " notifications belong to an incident)");
    h.append("</table>\n");
    if (!score.detections().isEmpty()) {
      h.append(
          "<table><tr><th>incident</th><th>detected by</th><th>time to detect</th>"
              + "<th>time to reset</th></tr>");
      for (Score.Detection d : score.detections()) {
        h.append("<tr><td>")
            .append(esc(d.incident().name()))
            .append("</td><td>")
            .append(d.alert() == null ? "not detected" : esc(d.alert()))
            .append("</td><td class=\"n\">")
            .append(d.detect() == null ? "" : human(d.detect()))
            .append("</td><td class=\"n\">")
            .append(
                d.alert() == null ? "" : d.reset() == null ? "not in the range" : human(d.reset()))
            .append("</td></tr>");
      }
      h.append("</table>\n");
    }
    for (AlertTier tier : slo.alerting().enabledTiers()) {
      Backtest.AlertResult alert =
          r.alerts().stream()
              .filter(
                  a ->
                      tier.longWindow().toString().equals(a.labels().get("long_window"))
                          && tier.severity().equals(a.labels().get("severity")))
              .findFirst()
              .orElse(null);
      double factor = tier.factor(slo.period()).doubleValue();
      h.append("<h3>")
          .append(esc(alert == null ? tier.name() : alert.title()))
          .append(" (")
          .append(tier.pages() ? "page" : "ticket")
          .append(fmt(", fires above %s", number(factor)))
          .append(")</h3>\n");
      h.append(
          chart(r, tier, factor, alert == null ? List.of() : alert.notifications(), concerning));
      if (alert != null) {
        for (Backtest.Notification n : alert.notifications()) {
          h.append("<p>").append(n.describe()).append("</p>\n");
        }
      }
    }
  }

  /** The chart of one tier: both windows' burn rates, the factor, notifications and incidents. */
  static String chart(
      Backtest.Result r,
      AlertTier tier,
      double factor,
      List<Backtest.Notification> notifications,
      List<Incident> incidents) {
    double x0 = r.from().getEpochSecond();
    double x1 = Math.max(x0 + 60, r.to().getEpochSecond() + 60);
    List<double[]> longBurn = r.burnRates().getOrDefault(tier.longWindow(), List.of());
    List<double[]> shortBurn = r.burnRates().getOrDefault(tier.shortWindow(), List.of());
    double top = Math.max(factor * 2, 10);
    for (double[] p : longBurn) {
      top = Double.isFinite(p[1]) ? Math.max(top, p[1]) : top;
    }
    for (double[] p : shortBurn) {
      top = Double.isFinite(p[1]) ? Math.max(top, p[1]) : top;
    }
    double topLog = Math.log10(1 + top);
    StringBuilder s = new StringBuilder();
    int height = HEIGHT + INCIDENT_ROW + 22;
    s.append(
        fmt(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">",
            WIDTH, height));
    for (Backtest.Notification n : notifications) {
      double a = x(n.firing().getEpochSecond(), x0, x1);
      double b = n.resolved() == null ? WIDTH : x(n.resolved().getEpochSecond(), x0, x1);
      s.append(
          fmt(
              "<rect class=\"notification\" x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%d\""
                  + " fill=\"%s\" fill-opacity=\"0.18\"><title>firing %s .. %s</title></rect>",
              a,
              Math.max(1.5, b - a),
              HEIGHT,
              tier.pages() ? "#cf222e" : "#bf8700",
              n.firing(),
              n.resolved() == null ? "the end" : n.resolved()));
    }
    for (Incident i : incidents) {
      if (i.end().getEpochSecond() < x0 || i.start().getEpochSecond() > x1) {
        continue;
      }
      double a = x(Math.max(x0, i.start().getEpochSecond()), x0, x1);
      double b = x(Math.min(x1, i.end().getEpochSecond()), x0, x1);
      s.append(
          fmt(
              "<rect class=\"incident\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\""
                  + " fill=\"#57606a\"><title>%s %s .. %s</title></rect>",
              a,
              HEIGHT + 2,
              Math.max(1.5, b - a),
              INCIDENT_ROW - 4,
              esc(i.name()),
              i.start(),
              i.end()));
    }
    for (double tick : new double[] {1, 10, 100, 1000, 10000}) {
      if (tick > top) {
        break;
      }
      double y = y(tick, topLog);
      s.append(
          fmt(
              "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#d9dee5\"/>"
                  + "<text x=\"2\" y=\"%.1f\" font-size=\"10\">%sx</text>",
              LEFT, WIDTH, y, y, y + 3, number(tick)));
    }
    double fy = y(factor, topLog);
    s.append(
        fmt(
            "<line class=\"factor\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#cf222e\""
                + " stroke-dasharray=\"6 4\"/><text x=\"%d\" y=\"%.1f\" font-size=\"10\""
                + " fill=\"#cf222e\">%sx</text>",
            LEFT, WIDTH, fy, fy, WIDTH - 40, fy - 3, number(factor)));
    line(s, longBurn, x0, x1, topLog, LONG_COLOR);
    line(s, shortBurn, x0, x1, topLog, SHORT_COLOR);
    s.append(
        fmt(
            "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"%s\">burn rate over %s</text>"
                + "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"%s\">over %s</text>"
                + "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#57606a\">incidents</text>",
            LEFT,
            height - 4,
            LONG_COLOR,
            tier.longWindow(),
            LEFT + 170,
            height - 4,
            SHORT_COLOR,
            tier.shortWindow(),
            LEFT + 260,
            height - 4));
    return s.append("</svg>\n").toString();
  }

  /**
   * A polyline of the highest value per chart column, broken where a minute had no value (the
   * window recorded no event), so that a gap is never drawn as a line across it.
   */
  private static void line(
      StringBuilder s, List<double[]> points, double x0, double x1, double topLog, String color) {
    int columns = WIDTH - LEFT;
    double[] high = new double[columns];
    double[] firstAt = new double[columns];
    double[] lastAt = new double[columns];
    boolean[] seen = new boolean[columns];
    for (double[] p : points) {
      if (!Double.isFinite(p[1])) {
        continue;
      }
      int c = (int) Math.min(columns - 1, Math.max(0, x(p[0], x0, x1) - LEFT));
      if (!seen[c]) {
        seen[c] = true;
        high[c] = p[1];
        firstAt[c] = p[0];
        lastAt[c] = p[0];
      } else {
        high[c] = Math.max(high[c], p[1]);
        firstAt[c] = Math.min(firstAt[c], p[0]);
        lastAt[c] = Math.max(lastAt[c], p[0]);
      }
    }
    List<String> runs = new ArrayList<>();
    StringBuilder run = new StringBuilder();
    int previous = -1;
    for (int c = 0; c < columns; c++) {
      if (!seen[c]) {
        continue;
      }
      // consecutive minutes join; a missing minute between two columns breaks the line
      if (previous >= 0 && firstAt[c] - lastAt[previous] > MINUTE_SECONDS + 1) {
        runs.add(run.toString().trim());
        run.setLength(0);
      }
      run.append(fmt("%d,%.1f ", LEFT + c, y(high[c], topLog)));
      previous = c;
    }
    if (!run.isEmpty()) {
      runs.add(run.toString().trim());
    }
    for (String pts : runs) {
      s.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"")
          .append(color)
          .append("\" points=\"")
          .append(pts.contains(" ") ? pts : pts + " " + pts)
          .append("\"/>");
    }
  }

  private static double x(double epochSeconds, double x0, double x1) {
    return LEFT + (epochSeconds - x0) / (x1 - x0) * (WIDTH - LEFT);
  }

  /** Logarithmic: 0 at the bottom, {@code 10^topLog - 1} at the top. */
  private static double y(double burn, double topLog) {
    return 4 + (1 - Math.log10(1 + Math.max(0, burn)) / topLog) * (HEIGHT - 8);
  }

  /**
   * A percentage as the backtest prints it.
   *
   * @param v a percentage, or NaN
   * @return e.g. {@code 12.5%}, or {@code n/a} for NaN
   */
  public static String percent(double v) {
    return Double.isFinite(v) ? fmt("%.1f%%", v) : "n/a";
  }

  private static String number(double v) {
    return v == Math.rint(v) ? fmt("%.0f", v) : fmt("%.3g", v);
  }

  /**
   * A duration as the backtest prints it.
   *
   * @param d a duration; negative when a notification resolved before its incident ended
   * @return e.g. {@code 2m05s}, {@code 1h03m} or {@code -0m30s}
   */
  public static String human(Duration d) {
    if (d.isNegative()) {
      return "-" + human(d.negated());
    }
    long s = d.getSeconds();
    return s >= 3600 ? fmt("%dh%02dm", s / 3600, s % 3600 / 60) : fmt("%dm%02ds", s / 60, s % 60);
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}

package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.bench.load.Spread;
import dev.vigil.bench.slo.ColdGenerate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./vigil bench} does to an existing docs/performance.md: it replaces what the run
 * renders and keeps every section and subsection written by hand, in place, in a full run as in a
 * run of some parts.
 */
class PerformanceReportKeepsHandWrittenTest {

  /** A small report as a full run and hands left it: generated sections with hand-written ones. */
  private static final String PREVIOUS =
      """
      # Performance: an old title

      Old introduction.

      ## Machine and method

      old machine table

      ## Where a request's time goes (measured by hand)

      Hand-written profile.

      ```
      ## not a heading: a line inside a code block
      ```

      ## SLO compilation: 1,000 SLOs

      old SLO table 9,999

      ### SLO validation: 1,000 SLOs

      Hand-written validation figures.

      ## Issue 25, request path (measured by hand)

      Hand-written introduction.

      ### The changes

      1. A hand-written change.

      ## Targets

      | old targets |

      ## Reading of the runs (hand-written)

      old analysis

      ## SLO rules at scale: 30 days of history

      Written by BENCH_PARTS=scale.
      """;

  @TempDir Path dir;

  @Test
  void aFullRunKeepsEverySectionAndSubsectionWrittenByHandInPlace() throws Exception {
    String report = write(PREVIOUS, results(Map.of()));

    // what the run renders is replaced
    assertThat(report)
        .doesNotContain("Old introduction.")
        .doesNotContain("old machine table")
        .doesNotContain("old SLO table 9,999")
        .doesNotContain("| old targets |")
        .doesNotContain("old analysis")
        .contains("| 2,000 (1,900–2,100) |")
        .contains("new analysis");
    // what it does not is kept, once, where it was
    assertThat(report)
        .contains("Hand-written profile.")
        .contains("Hand-written validation figures.")
        .contains("1. A hand-written change.")
        .contains("Written by BENCH_PARTS=scale.");
    assertThat(report.split("## not a heading: a line inside a code block", -1)).hasSize(2);
    assertInOrder(
        report,
        "# Performance: what vigil's instrumentation costs",
        "## Issue 25's goals, from this run",
        "## Machine and method",
        "## Where a request's time goes (measured by hand)",
        "## SLO compilation: 1,000 SLOs",
        "| 2,000 (1,900–2,100) |",
        "### SLO validation: 1,000 SLOs",
        "## Issue 25, request path (measured by hand)",
        "### The changes",
        "## Targets",
        "## Reading of the runs (hand-written)",
        "new analysis",
        "## SLO rules at scale");
  }

  @Test
  void aRunOfOnePartKeepsTheHandWrittenSubsectionsOfItsSection() throws Exception {
    String report = write(PREVIOUS, results(Map.of("BENCH_PARTS", "slo")));

    assertThat(report)
        .doesNotContain("old SLO table 9,999")
        .contains(
            "_From the run of 2026-01-02 09:00 UTC (vigil commit def5678) with BENCH_PARTS=slo")
        // the rest of the previous report, the full run's, stays as it was
        .contains("Old introduction.")
        .contains("old machine table")
        .contains("| old targets |")
        .contains("old analysis")
        .doesNotContain("## Issue 25's goals");
    assertInOrder(
        report,
        "## Where a request's time goes (measured by hand)",
        "## SLO compilation: 1,000 SLOs",
        "BENCH_PARTS=slo",
        "| 2,000 (1,900–2,100) |",
        "### SLO validation: 1,000 SLOs",
        "Hand-written validation figures.",
        "## Issue 25, request path (measured by hand)",
        "### The changes");
  }

  @Test
  void writingTheSameRunAgainChangesNothing() throws Exception {
    for (Map<String, String> env :
        List.of(Map.<String, String>of(), Map.of("BENCH_PARTS", "slo"))) {
      String once = write(PREVIOUS, results(env));
      assertThat(write(once, results(env))).isEqualTo(once);
    }
  }

  @Test
  void aSectionThePreviousReportLacksGoesAfterItsPredecessorInTheRun() {
    String previous = "# T\n\n## A\n\na\n\n## Hand\n\nh\n\n## C\n\nc\n";
    String rendered = "# T2\n\n## A\n\na2\n\n## B\n\nb2\n\n## C\n\nc2\n";

    assertThat(ReportMerge.merge(previous, rendered))
        .isEqualTo("# T2\n\n## A\n\na2\n\n## B\n\nb2\n\n## Hand\n\nh\n\n## C\n\nc2\n");
  }

  @Test
  void headingsThatDifferOnlyInTheirNumbersAreTheSameSection() {
    String previous =
        "## Memory after 1,000,000 requests\n\nold\n\n### p99 (hey -q, 32 workers)\n\nold p99\n";
    String rendered =
        "## Memory after 500 requests\n\nnew\n\n### p99 (hey -q, 8 workers)\n\nnew p99\n";

    assertThat(ReportMerge.merge(previous, rendered)).isEqualTo(rendered);
  }

  private String write(String previous, BenchResults results) throws Exception {
    Path file = dir.resolve("docs/performance.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, previous);
    Path analysis = dir.resolve("analysis.md");
    Files.writeString(analysis, "## Reading of the runs (hand-written)\n\nnew analysis\n");
    PerformanceReport.write(results, file, analysis);
    return Files.readString(file);
  }

  private static void assertInOrder(String text, String... parts) {
    int at = -1;
    for (String part : parts) {
      int next = text.indexOf(part, at + 1);
      assertThat(next).as("'%s' after position %d in:%n%s", part, at, text).isGreaterThan(at);
      at = next;
    }
  }

  /** A run that measured SLO compilation only; {@code env} says whether it ran every part. */
  private static BenchResults results(Map<String, String> env) {
    BenchSettings settings = BenchSettings.from(Path.of("/repo"), env);
    Machine machine =
        new Machine(
            "test CPU",
            2,
            4096,
            "6.1",
            "openjdk 25",
            "wrk 4.1.0",
            "def5678",
            "0.5 0.4 0.3",
            "1.5 1.0 0.6");
    JmhSuite.Figure figure =
        new JmhSuite.Figure(
            "SloCompileBenchmark.generate",
            Map.of(),
            Spread.of(List.of(400.0, 380.0, 420.0)),
            "ms/op",
            Spread.of(List.of(140e6, 150e6, 160e6)));
    ColdGenerate.Result cold =
        new ColdGenerate.Result(
            Spread.of(List.of(1900.0, 2100.0, 2000.0)),
            "java -jar vigil.jar slo generate --out out specs/svc*.yaml",
            null,
            null);
    return new BenchResults(
        settings,
        machine,
        Instant.parse("2026-01-02T09:00:00Z"),
        Instant.parse("2026-01-02T09:20:00Z"),
        List.of(),
        List.of(),
        Map.of(),
        List.of(),
        null,
        List.of(),
        null,
        figure,
        cold,
        Map.of());
  }
}

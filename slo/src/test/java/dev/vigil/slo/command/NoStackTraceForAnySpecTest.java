package dev.vigil.slo.command;

import static dev.vigil.slo.command.ValidateCommandTest.slo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@code vigil slo validate} and {@code generate} never answer a spec with a stack trace, whatever
 * the file holds: the catalog's spec (and an OpenSLO and a Sloth example) with random edits (YAML
 * syntax characters, anchors and aliases, merge keys, tabs, NUL, huge numbers, tags, deleted spans)
 * must give exit 0 (still valid) or 1 (problems named), and no line of a Java stack trace. Once an
 * empty time zone, OpenSLO's {@code 1M} rolling window or an objective of 99.999999 gave stack
 * traces.
 */
class NoStackTraceForAnySpecTest {

  /** Edited specs per run (jqwik tries). */
  static final int TRIES = 150;

  private static final Path ROOT =
      Path.of(System.getProperty("vigil.root", "..")).toAbsolutePath().normalize();

  private static final List<String> INSERTS =
      List.of(
          ":",
          "- ",
          "&a ",
          "*a",
          "{",
          "}",
          "[",
          "]",
          "\t",
          "\u0000",
          "99999999999999999999999",
          "1e400",
          "-0",
          "!!binary ",
          "!!float ",
          "<<: *a",
          "'",
          "\"",
          "\n",
          "\n  ",
          "#",
          "%",
          "{{window}}",
          "0.999",
          "NaN",
          ".inf",
          "1M",
          "Europe/Nowhere",
          "\uFEFF",
          "\\",
          "null");

  record Edit(int file, double at, String insert, int delete) {}

  @Provide
  Arbitrary<List<Edit>> edits() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 2),
            Arbitraries.doubles().between(0, 1),
            Arbitraries.of(INSERTS),
            Arbitraries.integers().between(0, 12))
        .as(Edit::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(4);
  }

  @Property(tries = TRIES)
  void validateAndGenerateNameProblemsInsteadOfPrintingAStackTrace(
      @ForAll("edits") List<Edit> edits) throws Exception {
    List<Path> sources =
        List.of(
            ROOT.resolve("slos/catalog.yaml"),
            ROOT.resolve("slo/src/test/resources/specs/openslo-checkout.yaml"),
            ROOT.resolve("slo/src/test/resources/specs/sloth-myservice.yaml"));
    String text = Files.readString(sources.get(edits.getFirst().file()));
    for (Edit e : edits) {
      int at = (int) (e.at() * text.length());
      int end = Math.min(text.length(), at + e.delete());
      text = text.substring(0, at) + e.insert() + text.substring(end);
    }
    Path dir = Files.createTempDirectory("vigil-edited-");
    try {
      Path spec = Files.writeString(dir.resolve("edited.yaml"), text);
      for (String[] args :
          List.of(
              new String[] {"validate", "--no-promtool", spec.toString()},
              new String[] {"generate", "--out", dir.resolve("out").toString(), spec.toString()})) {
        ValidateCommandTest.Run run = slo(args);
        assertThat(run.err())
            .as("%s of:%n%s", args[0], text)
            .doesNotContain("\tat ")
            .doesNotContain("Exception");
        assertThat(run.code()).as("%s of:%n%s%n%s", args[0], text, run.err()).isIn(0, 1);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }
}

package dev.vigil.slo.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.slo.model.Slo;
import dev.vigil.slo.spec.SpecReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link YamlEmitter}'s block layout against Jackson writing the same document whole: the generated
 * files must not change by a byte for being written the faster way.
 */
class YamlEmitterTest {

  private static final Path ROOT =
      Path.of(System.getProperty("vigil.root", "..")).toAbsolutePath().normalize();
  private static final Path SPECS = ROOT.resolve("slo/src/test/resources/specs");

  @Test
  void everyGeneratedDocumentIsLaidOutAsJacksonWritesIt() {
    List<List<Path>> specSets =
        List.of(
            List.of(ROOT.resolve("slos/catalog.yaml")),
            List.of(
                SPECS.resolve("openslo-checkout.yaml"),
                SPECS.resolve("openslo-search-calendar.yaml"),
                SPECS.resolve("sloth-myservice.yaml")),
            List.of(
                SPECS.resolve("openslo/checkout-ratio-timeslices.yaml"),
                SPECS.resolve("openslo/uptime-timeslices.yaml")));
    int documents = 0;
    for (List<Path> specs : specSets) {
      SpecReader.Result read = new SpecReader().read(specs);
      assertThat(read.problems()).isEmpty();
      for (Object document : documents(read.slos())) {
        String jackson = YamlEmitter.withJackson(document);
        assertThat(YamlEmitter.Blocks.write(document))
            .as("block layout of a generated document from %s", specs)
            .isEqualTo(jackson);
        documents++;
      }
    }
    assertThat(documents).isEqualTo(3 * 3);
  }

  /**
   * The rule groups, the promtool tests and the PrometheusRule, as {@link SloCompiler} builds them.
   */
  private static List<Object> documents(List<Slo> slos) {
    List<Map<String, Object>> groups = new RuleFileGenerator().groups(slos);
    return List.of(
        YamlEmitter.ordered("groups", groups),
        new PromtoolTestGenerator().generate(slos, "rules.yml").document(),
        PrometheusRuleManifest.document(
            "slo-x", YamlEmitter.ordered("app.kubernetes.io/part-of", "vigil"), groups));
  }

  /**
   * Scalars YAML treats specially (reserved words, numbers, indicators, quotes, escapes, non-ASCII,
   * block scalars of every chomping and indentation, keys too long for a simple key) in random
   * trees of maps and lists: whichever way {@link YamlEmitter#write} takes, the text is Jackson's.
   */
  @Test
  void trickyScalarsAndShapesReadAsJacksonWritesThem() {
    Random random = new Random(20261207);
    int laidOut = 0;
    for (int i = 0; i < 3000; i++) {
      Map<String, Object> document = map(random, 0);
      String expected = YamlEmitter.withJackson(document);
      assertThat(YamlEmitter.write("", document)).as("document %s", document).isEqualTo(expected);
      if (YamlEmitter.Blocks.write(document) != null) {
        laidOut++;
      }
    }
    // most random documents stay within the block layout's shapes, so both paths are compared
    assertThat(laidOut).isGreaterThan(1000);
  }

  /**
   * The same random documents written one after the other with one {@link YamlEmitter.Scalars}, as
   * {@link SloCompiler} writes a run's files: a scalar's form taken from an earlier document (a
   * document Jackson wrote whole leaves none behind) reads as Jackson writes it here.
   */
  @Test
  void scalarsSharedBetweenDocumentsReadAsJacksonWritesThem() {
    Random random = new Random(20261208);
    YamlEmitter.Scalars shared = new YamlEmitter.Scalars();
    for (int i = 0; i < 3000; i++) {
      Map<String, Object> document = map(random, 0);
      assertThat(YamlEmitter.write("", document, shared))
          .as("document %s", document)
          .isEqualTo(YamlEmitter.withJackson(document));
    }
  }

  private static final List<String> SCALARS =
      List.of(
          "",
          " ",
          "plain",
          "two words",
          "1m",
          "2",
          "-3",
          "0.5",
          "1e3",
          "0x1F",
          ".inf",
          "true",
          "false",
          "yes",
          "No",
          "null",
          "~",
          "on",
          "a: b",
          "a:b",
          "a #b",
          "#x",
          "- x",
          "-",
          "?",
          ":",
          "x:",
          "[x]",
          "{x}",
          "x, y",
          "*ref",
          "&anchor",
          "!tag",
          "|",
          ">",
          "%x",
          "@x",
          "`x`",
          "'single'",
          "\"double\"",
          "back\\slash",
          " leading",
          "trailing ",
          "tab\there",
          "bell\u0007",
          "caf\u00e9",
          "\u2028sep",
          "emoji \uD83D\uDE00",
          "sum(rate(x{a=\"b\",c=~\"5..\"}[5m]))",
          "{{ $value | printf \"%.2f\" }}",
          "https://example.com/a#b",
          "line\n",
          "line",
          "two\nlines\n",
          "no final break\nhere",
          "blank\n\nline\n",
          "  indented\nblock\n",
          "\nleading break\n",
          "kept\n\n",
          "trailing space \nx\n",
          "crlf\r\nx\n",
          "x".repeat(130),
          "k".repeat(200) + "\n");

  private static Map<String, Object> map(Random random, int depth) {
    Map<String, Object> map = new LinkedHashMap<>();
    int size = random.nextInt(depth == 0 ? 1 : 0, 4);
    for (int i = 0; i < size; i++) {
      String key = random.nextInt(4) == 0 ? pick(random) : "k" + random.nextInt(20);
      map.put(key, node(random, depth + 1));
    }
    return map;
  }

  private static Object node(Random random, int depth) {
    int kind = depth > 4 ? 0 : random.nextInt(6);
    return switch (kind) {
      case 0, 1, 2 -> pick(random);
      case 3, 4 -> map(random, depth);
      default -> {
        List<Object> list = new ArrayList<>();
        int size = random.nextInt(0, 4);
        for (int i = 0; i < size; i++) {
          list.add(random.nextInt(8) == 0 ? List.of(pick(random)) : node(random, depth + 1));
        }
        yield list;
      }
    };
  }

  private static String pick(Random random) {
    return SCALARS.get(random.nextInt(SCALARS.size()));
  }
}

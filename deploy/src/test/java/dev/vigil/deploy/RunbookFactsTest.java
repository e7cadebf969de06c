package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The SloBurnRatePage runbook states generated values (each page tier's windows, factor and {@code
 * for}, and when the generated tests page): they are read from the runbook and held to the
 * generated rules and promtool tests, so that the runbook cannot drift from what pages.
 */
class RunbookFactsTest {

  private static final Path RUNBOOK = SourceTree.root().resolve("docs/runbooks/SloBurnRatePage.md");

  /** {@code | page-1h | 1h / 5m | 14.4x | 2% | 0s |} */
  private static final Pattern TIER_ROW =
      Pattern.compile(
          "\\| page-\\w+ \\| (\\w+) / (\\w+) \\| ([0-9.]+)x \\| [0-9.]+% \\| (\\w+) \\|");

  @Test
  void eachPageTierOfTheRunbookIsAGeneratedRuleWithItsWindowsFactorAndFor() throws Exception {
    String runbook = Files.readString(RUNBOOK);
    JsonNode rules =
        SourceTree.yaml(SourceTree.deploy().resolve("prometheus/rules/generated/catalog.yml"));
    List<String> generated = new ArrayList<>();
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if ("SloBurnRatePage".equals(rule.path("alert").asText())
            && "availability".equals(rule.path("labels").path("slo").asText())) {
          String expr = rule.path("expr").asText();
          Matcher factor = Pattern.compile("> ([0-9.]+)").matcher(expr);
          assertThat(factor.find()).as(expr).isTrue();
          generated.add(
              rule.path("labels").path("long_window").asText()
                  + " / "
                  + rule.path("labels").path("short_window").asText()
                  + " "
                  + factor.group(1)
                  + "x for "
                  + rule.path("for").asText("0s"));
        }
      }
    }
    List<String> stated = new ArrayList<>();
    Matcher row = TIER_ROW.matcher(runbook);
    while (row.find()) {
      stated.add(
          row.group(1) + " / " + row.group(2) + " " + row.group(3) + "x for " + row.group(4));
    }

    assertThat(stated).as("the runbook's tier table").isNotEmpty();
    assertThat(stated).as("the generated availability pages (30d)").isEqualTo(generated);
  }

  @Test
  void theDetectionTimesTheRunbookGivesAreTheGeneratedTestsOwn() throws Exception {
    String runbook = Files.readString(RUNBOOK).replaceAll("\\s+", " ");
    String tests =
        Files.readString(SourceTree.deploy().resolve("prometheus/tests/generated/catalog.yml"));

    Matcher outage =
        Pattern.compile(
                "a full outage of the catalog's availability \\(99\\.9%, 30d\\) pages (\\d+)"
                    + " minutes? after it starts")
            .matcher(runbook);
    assertThat(outage.find()).as("the runbook states the full outage's detection").isTrue();
    assertThat(tests)
        .contains("catalog availability: full outage (pages " + outage.group(1) + "m after onset)");

    Matcher burn = Pattern.compile("a 10x burn pages after (\\d+)h(\\d+)m").matcher(runbook);
    assertThat(burn.find()).as("the runbook states the 10x burn's detection").isTrue();
    int minutes = Integer.parseInt(burn.group(1)) * 60 + Integer.parseInt(burn.group(2));
    assertThat(tests)
        .contains("catalog availability: 10x burn (pages " + minutes + "m after onset)");
  }
}

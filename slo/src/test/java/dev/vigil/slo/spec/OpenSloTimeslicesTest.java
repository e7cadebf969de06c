package dev.vigil.slo.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.slo.model.Sli;
import dev.vigil.slo.model.Slo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenSLO's Timeslices and RatioTimeslices budgeting, read onto vigil's time slice SLI. The oracle
 * for Timeslices is the catalog's own uptime SLO written in vigil/v1: the same SLO written in
 * OpenSLO must read as the identical SLI (so it compiles to the identical, promtool-tested rules).
 */
class OpenSloTimeslicesTest {

  private static final Path ROOT = Path.of(System.getProperty("vigil.root", ".."));
  private static final Path SPECS = ROOT.resolve("slo/src/test/resources/specs/openslo");

  @TempDir Path work;

  @Test
  void openSloTimeslicesUptimeWasRefusedAndNowReadsAsTheCatalogsUptimeSli() {
    Slo vigil = only(ROOT.resolve("slos/catalog.yaml"), "uptime");
    SpecReader.Result openslo =
        new SpecReader().read(List.of(SPECS.resolve("uptime-timeslices.yaml")));
    assertThat(openslo.problems()).isEmpty();
    Slo read = openslo.slos().getFirst();
    assertThat(read.sli()).isEqualTo(vigil.sli());
    assertThat(read.objectivePercent()).isEqualByComparingTo(vigil.objectivePercent());
    assertThat(read.period()).isEqualTo(vigil.period());
    assertThat(((Sli.Timeslices) read.sli()).budgetingMethod()).isEqualTo("Timeslices");
  }

  @Test
  void ratioTimeslicesCountEachSliceAsItsGoodRatioInsteadOfAVerdict() {
    SpecReader.Result result =
        new SpecReader().read(List.of(SPECS.resolve("checkout-ratio-timeslices.yaml")));
    assertThat(result.problems()).isEmpty();
    Sli.Timeslices sli = (Sli.Timeslices) result.slos().getFirst().sli();
    assertThat(sli.budgetingMethod()).isEqualTo("RatioTimeslices");
    assertThat(sli.target()).isNull();
    assertThat(sli.verdictQuery())
        .isEqualTo(
            "min((sum(rate(checkout_total{result=\"ok\"}[1m]))) / (sum(rate(checkout_total[1m]))))")
        .doesNotContain(">= bool");
  }

  @Test
  void timeslicesWithoutASliceWindowOrRatioTimeslicesWithATargetAreProblems() throws Exception {
    Path noWindow =
        Files.writeString(
            work.resolve("no-window.yaml"),
            Files.readString(SPECS.resolve("uptime-timeslices.yaml"))
                .replace("      timeSliceWindow: 1m\n", ""));
    Path ratioWithTarget =
        Files.writeString(
            work.resolve("ratio-target.yaml"),
            Files.readString(SPECS.resolve("checkout-ratio-timeslices.yaml"))
                .replace("timeSliceWindow: 1m", "timeSliceWindow: 1m\n      timeSliceTarget: 0.9"));
    List<Problem> problems = new SpecReader().read(List.of(noWindow, ratioWithTarget)).problems();
    assertThat(problems)
        .extracting(Problem::toString)
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("spec.objectives[0].timeSliceWindow: is required for Timeslices"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains(
                        "spec.objectives[0].timeSliceTarget: RatioTimeslices counts each slice as"
                            + " its ratio and has no slice target"));
  }

  private static Slo only(Path file, String name) {
    SpecReader.Result r = new SpecReader().read(List.of(file));
    assertThat(r.problems()).isEmpty();
    return r.slos().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}

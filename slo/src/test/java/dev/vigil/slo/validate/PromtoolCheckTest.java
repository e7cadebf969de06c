package dev.vigil.slo.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.prometheus.PrometheusTool;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.spec.Problem;
import dev.vigil.slo.spec.SpecReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PromtoolCheck} against the real promtool, started through a wrapper script that counts its
 * starts.
 */
class PromtoolCheckTest {

  @TempDir Path work;

  @Test
  void validateOfManySlosStartsPromtoolOnceInsteadOfOncePerSlo() throws Exception {
    // once every SLO had its own promtool process: 100 SLOs took 11 s, 1,000 SLOs 112 s
    Path promtool = PrometheusTool.PROMTOOL.require();
    Path starts = work.resolve("starts");
    Path wrapper = work.resolve("promtool");
    Files.writeString(
        wrapper, "#!/bin/sh\necho started >> '" + starts + "'\nexec '" + promtool + "' \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
    StringBuilder spec = new StringBuilder("apiVersion: vigil/v1\nservice: svc\nslos:\n");
    for (int i = 0; i < 50; i++) {
      spec.append("  - name: slo")
          .append(i)
          .append("\n    objective: 99.9\n    period: 30d\n    sli:\n      events:\n")
          .append("        bad: sum(rate(requests_total{code=~\"5..\"}[{{window}}]))\n")
          .append(
              i == 37
                  ? "        total: sum(rate(requests_total[{{window}}])\n"
                  : "        total: sum(rate(requests_total[{{window}}]))\n");
    }
    Path file = Files.writeString(work.resolve("many.yaml"), spec);
    List<Slo> slos = new SpecReader().read(List.of(file)).slos();
    assertThat(slos).hasSize(50);

    List<Problem> problems = new PromtoolCheck().check(wrapper, slos);

    assertThat(Files.readAllLines(starts)).as("promtool processes started").hasSize(1);
    assertThat(problems)
        .as("the one broken SLI is traced back to its SLO")
        .singleElement()
        .satisfies(p -> assertThat(p.field()).isEqualTo("slos[37].sli"));
  }
}

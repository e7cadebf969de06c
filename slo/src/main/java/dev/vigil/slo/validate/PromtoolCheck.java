package dev.vigil.slo.validate;

import dev.vigil.slo.generate.RuleFileGenerator;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.spec.Problem;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks the PromQL of SLOs with {@code promtool check rules}: each SLO's generated rule group is written
 * to a temporary file and checked on its own, so a problem names the SLO it comes from.
 */
public final class PromtoolCheck {

  /**
   * @param promtool the promtool executable
   * @param slos SLOs without other problems
   * @return one problem per SLO whose rules promtool rejects, naming promtool's message
   * @throws IOException when the temporary file cannot be written or promtool cannot be started
   */
  public List<Problem> check(Path promtool, List<Slo> slos) throws IOException {
    List<Problem> problems = new ArrayList<>();
    RuleFileGenerator generator = new RuleFileGenerator();
    for (Slo slo : slos) {
      Path file = Files.createTempFile("vigil-slo-", ".yml");
      try {
        Files.writeString(file, new YAMLMapper().writeValueAsString(Map.of("groups", generator.groups(List.of(slo)))));
        Process p = new ProcessBuilder(promtool.toString(), "check", "rules", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
          String reason = out.lines().filter(l -> l.contains("error") || l.contains("parse")).findFirst().orElse(out.strip())
              .replace(file.toString(), "rules");
          problems.add(new Problem(slo.source(), slo.path() + ".sli", "promtool rejects the PromQL generated from this SLI: " + reason,
              "fix the SLI queries so that each is valid PromQL once {{window}} is replaced by a window like 5m"));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running promtool", e);
      } finally {
        Files.deleteIfExists(file);
      }
    }
    return problems;
  }
}

package dev.vigil.slo.validate;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vigil.slo.generate.RuleFileGenerator;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.spec.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the PromQL of SLOs with {@code promtool check rules}, once for all SLOs: the rules that
 * carry their SLIs' own PromQL ({@link RuleFileGenerator#sliQueryGroups}) go into one temporary
 * file (one promtool process per validate, not per SLO: 1,000 SLOs once took 112 s), and each of
 * promtool's errors is traced back to its SLO by the group name it names.
 */
public final class PromtoolCheck {

  private static final Pattern GROUP = Pattern.compile("group \"([^\"]+)\"");

  /**
   * @param promtool the promtool executable
   * @param slos SLOs without other problems
   * @return one problem per SLO whose rules promtool rejects, naming promtool's message
   * @throws IOException when the temporary file cannot be written or promtool cannot be started
   */
  public List<Problem> check(Path promtool, List<Slo> slos) throws IOException {
    List<Problem> problems = new ArrayList<>();
    if (slos.isEmpty()) {
      return problems;
    }
    List<Map<String, Object>> groups = new RuleFileGenerator().sliQueryGroups(slos);
    Map<String, Slo> byGroup = new LinkedHashMap<>();
    for (int i = 0; i < slos.size(); i++) {
      byGroup.putIfAbsent(String.valueOf(groups.get(i).get("name")), slos.get(i));
    }
    Path file = Files.createTempFile("vigil-slo-", ".yml");
    try {
      // JSON is YAML, and Jackson's JSON writer is several times faster than its YAML one
      Files.writeString(file, new JsonMapper().writeValueAsString(Map.of("groups", groups)));
      Process p =
          new ProcessBuilder(promtool.toString(), "check", "rules", file.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() == 0) {
        return problems;
      }
      Map<Slo, String> reasons = new LinkedHashMap<>();
      for (String line : out.lines().toList()) {
        Matcher m = GROUP.matcher(line);
        if (m.find() && byGroup.containsKey(m.group(1))) {
          reasons.putIfAbsent(
              byGroup.get(m.group(1)), line.replace(file.toString(), "rules").strip());
        }
      }
      if (reasons.isEmpty()) {
        // an error promtool does not attribute to a group: report it once, on the first SLO
        String reason =
            out.lines()
                .filter(l -> l.contains("error") || l.contains("parse") || l.contains("invalid"))
                .findFirst()
                .orElse(out.strip())
                .replace(file.toString(), "rules")
                .strip();
        reasons.put(slos.get(0), reason);
      }
      reasons.forEach(
          (slo, reason) ->
              problems.add(
                  new Problem(
                      slo.source(),
                      slo.path() + ".sli",
                      "promtool rejects the PromQL generated from this SLI: " + reason,
                      "fix the SLI queries so that each is valid PromQL once {{window}} is replaced by a window like 5m")));
      return problems;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running promtool", e);
    } finally {
      Files.deleteIfExists(file);
    }
  }
}

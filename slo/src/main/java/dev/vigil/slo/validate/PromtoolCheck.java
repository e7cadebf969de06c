package dev.vigil.slo.validate;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.prometheus.PromDuration;
import dev.vigil.slo.generate.RuleFileGenerator;
import dev.vigil.slo.model.Sli;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import dev.vigil.slo.spec.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the PromQL of SLOs with {@code promtool check rules}, once for all SLOs: their generated
 * rule groups go into one temporary file (one promtool process per validate, not per SLO: 1,000
 * SLOs once took 112 s), and each of promtool's errors is traced back to its SLO by the group name
 * it names.
 */
public final class PromtoolCheck {

  private static final Pattern GROUP = Pattern.compile("group \"([^\"]+)\"");

  /**
   * The rules of a group that carry the SLI's own PromQL: the 5m ratio, the period ratio and a
   * timeslice verdict. Every other rule is vigil's template around recorded series, valid once
   * these are, so promtool parses 3 rules per SLO instead of about 30.
   */
  private static Map<String, Object> sliRulesOnly(Map<String, Object> group) {
    Set<String> kept =
        Set.of(
            SloSeries.errorRatio(PromDuration.parse("5m")),
            SloSeries.PERIOD_ERROR_RATIO,
            Sli.Timeslices.VERDICT_SERIES);
    List<?> rules =
        ((List<?>) group.get("rules"))
            .stream()
                .filter(
                    r -> r instanceof Map<?, ?> m && kept.contains(String.valueOf(m.get("record"))))
                .toList();
    Map<String, Object> reduced = new LinkedHashMap<>(group);
    reduced.put("rules", rules);
    return reduced;
  }

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
    RuleFileGenerator generator = new RuleFileGenerator();
    List<Map<String, Object>> groups =
        generator.groups(slos).stream().map(PromtoolCheck::sliRulesOnly).toList();
    Map<String, Slo> byGroup = new LinkedHashMap<>();
    for (int i = 0; i < slos.size(); i++) {
      byGroup.putIfAbsent(String.valueOf(groups.get(i).get("name")), slos.get(i));
    }
    Path file = Files.createTempFile("vigil-slo-", ".yml");
    try {
      Files.writeString(file, new YAMLMapper().writeValueAsString(Map.of("groups", groups)));
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

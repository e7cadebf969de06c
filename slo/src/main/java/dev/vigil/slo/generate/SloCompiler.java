package dev.vigil.slo.generate;

import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles validated SLOs into every artefact vigil ships, keyed by path relative to the output
 * directory (normally {@code deploy/}):
 *
 * <ul>
 *   <li>{@code prometheus/rules/generated/<spec>.yml}: recording, metadata and alert rules;
 *   <li>{@code prometheus/tests/generated/<spec>.yml}: promtool unit tests of those rules;
 *   <li>{@code k8s/generated/<spec>-prometheusrule.yml}: the same rules as a Prometheus Operator
 *       PrometheusRule;
 *   <li>{@code alertmanager/generated/slo-inhibit-rules.yml}: page inhibits ticket for the same
 *       SLO.
 * </ul>
 *
 * {@code <spec>} is the spec file name without extension ({@code slos/catalog.yaml} -> {@code
 * catalog}).
 *
 * <pre>{@code
 * SpecReader.Result read = new SpecReader().read(List.of(Path.of("slos/catalog.yaml")));
 * // validate first: SloValidator.validate(read.slos()) must return no problem
 * SloCompiler.Output out = new SloCompiler().compile(read.slos());
 * out.files().forEach((path, text) -> Files.writeString(Path.of("deploy").resolve(path), text));
 * }</pre>
 *
 * {@code vigil slo generate} does exactly this, and {@code vigil slo validate} the validation.
 */
public final class SloCompiler {

  /** Alertmanager inhibition snippet, relative to the output directory. */
  public static final String INHIBIT_RULES = "alertmanager/generated/slo-inhibit-rules.yml";

  /**
   * The compiled artefacts.
   *
   * @param files file contents by path relative to the output directory, in a stable order
   * @param notes one line per limitation met while generating (e.g. an SLO without scenario tests)
   */
  public record Output(Map<String, String> files, List<String> notes) {}

  /**
   * @param slos valid SLOs (see {@code SloValidator}), from one or more spec files
   * @return the artefacts
   */
  public Output compile(List<Slo> slos) {
    Map<Path, List<Slo>> bySpec = bySpec(slos);
    // each spec's files depend on its own SLOs only: compile the specs side by side (the common
    // fork-join pool and this thread, one per core), then put their files together in spec order
    // the scalars written for one spec's files are laid out, not written again, in the others'
    YamlEmitter.Scalars scalars = new YamlEmitter.Scalars();
    List<Output> perSpec =
        List.copyOf(bySpec.entrySet()).parallelStream()
            .map(e -> compileSpec(e.getKey(), e.getValue(), scalars))
            .toList();
    return joined(perSpec);
  }

  /**
   * Takes each compiled file as soon as it is made: from any thread, several at a time, in no
   * particular order.
   */
  @FunctionalInterface
  public interface Sink {

    /**
     * @param path the file's path relative to the output directory
     * @param text its content
     * @throws IOException when it cannot be kept (e.g. written)
     */
    void accept(String path, String text) throws IOException;
  }

  /**
   * What {@link #compile(List, Sink)} handed over.
   *
   * @param paths the path of every file, relative to the output directory, each once and in the
   *     order of {@link #compile(List)}'s files
   * @param notes as in {@link Output#notes()}
   */
  public record Handed(List<String> paths, List<String> notes) {}

  /**
   * Compiles exactly what {@link #compile(List)} does, but hands each spec file's artefacts to
   * {@code sink} as soon as they are made instead of keeping all of them: the caller may write one
   * spec's files while the next compiles, and never holds every file at once (1,000 SLOs make 70
   * MB). When two spec files share a base name ({@code a/x.yaml}, {@code b/x.yaml}) their files
   * share paths and {@link #compile(List)} keeps the last; then every file is handed over once all
   * are compiled, with the same outcome.
   *
   * @param slos valid SLOs (see {@code SloValidator}), from one or more spec files
   * @param sink takes each file once
   * @return the paths handed over and the notes
   * @throws IOException the first the sink threw; the files of other specs may have been handed
   *     over
   */
  public Handed compile(List<Slo> slos, Sink sink) throws IOException {
    Map<Path, List<Slo>> bySpec = bySpec(slos);
    if (bySpec.keySet().stream().map(SloCompiler::baseName).distinct().count() < bySpec.size()) {
      Output all = compile(slos);
      for (Map.Entry<String, String> file : all.files().entrySet()) {
        sink.accept(file.getKey(), file.getValue());
      }
      return new Handed(List.copyOf(all.files().keySet()), all.notes());
    }
    YamlEmitter.Scalars scalars = new YamlEmitter.Scalars();
    List<Output> perSpec;
    try {
      perSpec =
          List.copyOf(bySpec.entrySet()).parallelStream()
              .map(
                  e -> {
                    Output spec = compileSpec(e.getKey(), e.getValue(), scalars);
                    Map<String, String> paths = new LinkedHashMap<>();
                    for (Map.Entry<String, String> file : spec.files().entrySet()) {
                      try {
                        sink.accept(file.getKey(), file.getValue());
                      } catch (IOException failed) {
                        throw new UncheckedIOException(failed);
                      }
                      paths.put(file.getKey(), "");
                    }
                    return new Output(paths, spec.notes());
                  })
              .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    Output joined = joined(perSpec);
    sink.accept(INHIBIT_RULES, joined.files().get(INHIBIT_RULES));
    return new Handed(List.copyOf(joined.files().keySet()), joined.notes());
  }

  private static Map<Path, List<Slo>> bySpec(List<Slo> slos) {
    Map<Path, List<Slo>> bySpec = new LinkedHashMap<>();
    for (Slo slo : slos) {
      bySpec.computeIfAbsent(slo.source(), k -> new ArrayList<>()).add(slo);
    }
    return bySpec;
  }

  /**
   * The specs' files in spec order (a later spec's file replacing an earlier one's), then the
   * inhibit rules.
   */
  private static Output joined(List<Output> perSpec) {
    Map<String, String> files = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    for (Output spec : perSpec) {
      files.putAll(spec.files());
      notes.addAll(spec.notes());
    }
    files.put(INHIBIT_RULES, inhibitRules());
    return new Output(files, notes);
  }

  /** The rule file, promtool tests and PrometheusRule of one spec file's SLOs. */
  private static Output compileSpec(Path spec, List<Slo> slos, YamlEmitter.Scalars scalars) {
    String base = baseName(spec);
    String header =
        "Generated by `vigil slo generate` from "
            + spec.getFileName()
            + ". Do not edit: change the spec and regenerate.";
    Map<String, String> files = new LinkedHashMap<>();
    List<Map<String, Object>> groups = new RuleFileGenerator().groups(slos);
    files.put(
        "prometheus/rules/generated/" + base + ".yml",
        YamlEmitter.write(header, YamlEmitter.ordered("groups", groups), scalars));
    PromtoolTestGenerator.Output tests =
        new PromtoolTestGenerator().generate(slos, "../../rules/generated/" + base + ".yml");
    files.put(
        "prometheus/tests/generated/" + base + ".yml",
        YamlEmitter.write(
            header
                + "\nRun: promtool test rules deploy/prometheus/tests/generated/"
                + base
                + ".yml",
            tests.document(),
            scalars));
    files.put(
        "k8s/generated/" + base + "-prometheusrule.yml",
        YamlEmitter.write(
            header,
            PrometheusRuleManifest.document(
                "slo-" + base,
                YamlEmitter.ordered(
                    "app.kubernetes.io/part-of",
                    "vigil",
                    "app.kubernetes.io/managed-by",
                    "vigil-slo"),
                groups),
            scalars));
    return new Output(files, tests.skipped());
  }

  private static String inhibitRules() {
    String header =
        "Generated by `vigil slo generate`. Do not edit.\n"
            + "Merge under inhibit_rules: in deploy/alertmanager/alertmanager.yml: while an SLO pages (critical),\n"
            + "its tickets (warning) for the same service and SLO stay quiet.";
    return YamlEmitter.write(
        header,
        YamlEmitter.ordered(
            "inhibit_rules",
            List.of(
                YamlEmitter.ordered(
                    "source_matchers",
                        List.of(
                            "alertname=\"" + SloSeries.ALERT_PAGE + "\"", "severity=\"critical\""),
                    "target_matchers",
                        List.of(
                            "alertname=~\""
                                + SloSeries.ALERT_TICKET
                                + "|"
                                + SloSeries.ALERT_EXHAUSTED
                                + "\"",
                            "severity=\"warning\""),
                    "equal", List.of("service", "slo")))));
  }

  private static String baseName(Path spec) {
    String name = spec.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}

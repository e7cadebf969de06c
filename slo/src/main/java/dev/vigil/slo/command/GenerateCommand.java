package dev.vigil.slo.command;

import dev.vigil.slo.dashboard.DashboardGenerator;
import dev.vigil.slo.generate.PrometheusRuleManifest;
import dev.vigil.slo.generate.SloCompiler;
import dev.vigil.slo.spec.Problem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil slo generate SPEC... [--out deploy]}: writes the rule files, promtool tests,
 * PrometheusRule manifests and the Alertmanager inhibition snippet (see {@link SloCompiler}), the
 * Grafana dashboards under {@code grafana/dashboards/} (see {@link DashboardGenerator}), and, when
 * the output directory holds hand-written rule files, their PrometheusRule (see {@link
 * PrometheusRuleManifest}). Refuses to write anything when a spec has problems. Exit 0 written, 1
 * invalid spec, 2 usage error.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description =
        "Compile SLO specs into Prometheus rules, alerts, promtool tests, a PrometheusRule, inhibition rules and Grafana dashboards.",
    exitCodeOnInvalidInput = 2)
public final class GenerateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin SpecFilesParameter specs;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "deploy",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() {
    try {
      return run();
    } catch (IOException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 1;
    }
  }

  private int run() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SpecFiles.Checked read = SpecFiles.readAndValidate(specs.paths());
    read.notes().forEach(n -> err.println("note: " + n));
    List<Problem> problems = read.problems();
    if (!problems.isEmpty()) {
      problems.forEach(err::println);
      err.println(
          problems.size()
              + " problem(s); nothing written. Run vigil slo validate for the full check.");
      return 1;
    }
    // the hand-written rules are read before anything is written: a broken one still leaves the
    // output directory untouched
    Optional<String> manifest = PrometheusRuleManifest.ofRuleFiles(out);
    // each spec's files are written as soon as they are compiled, by the thread that compiled
    // them, and the dashboards side by side: no file waits for the others, nor holds memory
    // while they are made. "wrote" lines come once all are written, in the order of the files.
    SloCompiler.Handed compiled = new SloCompiler().compile(read.slos(), this::write);
    List<String> written = new ArrayList<>(compiled.paths());
    Map<String, String> dashboards = new DashboardGenerator().files(read.slos());
    try {
      dashboards.entrySet().parallelStream()
          .forEach(
              e -> {
                try {
                  write(e.getKey(), e.getValue());
                } catch (IOException failed) {
                  throw new UncheckedIOException(failed);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    written.addAll(dashboards.keySet());
    if (manifest.isPresent()) {
      write(PrometheusRuleManifest.MANIFEST, manifest.get());
      written.add(PrometheusRuleManifest.MANIFEST);
    }
    for (String path : written) {
      stdout.println("wrote " + out.resolve(path));
    }
    compiled.notes().forEach(n -> err.println("note: " + n));
    return 0;
  }

  /** Writes one file under the output directory, its directories made first. */
  private void write(String path, String text) throws IOException {
    Path target = out.resolve(path);
    Files.createDirectories(target.getParent());
    Files.writeString(target, text);
  }
}

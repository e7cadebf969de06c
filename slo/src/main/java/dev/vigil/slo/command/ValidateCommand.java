package dev.vigil.slo.command;

import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.prometheus.PrometheusTool;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.spec.Problem;
import dev.vigil.slo.validate.BucketBoundaryCheck;
import dev.vigil.slo.validate.PromtoolCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil slo validate FILE...}: reports every problem of the specs at once, one line each
 * naming file:line:column, field path and fix. Exit 0 valid, 1 invalid, 2 usage error.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description =
        "Check SLO specs (vigil/v1, openslo/v1, Sloth prometheus/v1); list every problem with its fix.",
    exitCodeOnInvalidInput = 2)
public final class ValidateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin SpecFilesParameter specs;

  @Option(
      names = "--prometheus",
      paramLabel = "URL",
      description =
          "Also check that latency thresholds are bucket boundaries, asking this Prometheus.")
  URI prometheus;

  @Option(
      names = "--no-promtool",
      description = "Skip the PromQL check with promtool even when it is on PATH.")
  boolean noPromtool;

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
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SpecFiles.Checked read = SpecFiles.readAndValidate(specs.paths());
    List<Path> paths = read.paths();
    List<Problem> problems = read.problems();
    List<Problem> semantic = read.semanticProblems();
    List<Slo> clean =
        read.slos().stream()
            .filter(
                s ->
                    semantic.stream()
                        .noneMatch(
                            p ->
                                p.file().equals(s.source())
                                    && p.field().startsWith(s.path() + ".")))
            .toList();
    Optional<Path> promtool = noPromtool ? Optional.empty() : PrometheusTool.PROMTOOL.find();
    if (promtool.isPresent()) {
      problems.addAll(read.positions().locate(new PromtoolCheck().check(promtool.get(), clean)));
    } else if (!noPromtool) {
      err.println(
          "note: promtool is not on PATH, PromQL was not checked (install prometheus' promtool or run ./vigil test)");
    }
    if (prometheus != null) {
      problems.addAll(
          read.positions()
              .locate(new BucketBoundaryCheck(new PrometheusClient(prometheus)).check(clean)));
    }
    read.notes().forEach(n -> err.println("note: " + n));
    for (Problem p : problems) {
      err.println(p);
    }
    if (!problems.isEmpty()) {
      err.println(problems.size() + " problem(s) in " + paths.size() + " file(s)");
      return 1;
    }
    out.println(read.slos().size() + " SLO(s) in " + paths.size() + " file(s) are valid");
    return 0;
  }
}

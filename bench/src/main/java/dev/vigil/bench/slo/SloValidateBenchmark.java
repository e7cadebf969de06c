package dev.vigil.bench.slo;

import dev.vigil.slo.command.SloCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The time to validate 1,000 SLOs (goal: under 3 s warm): {@code vigil slo validate} on the 100
 * spec files of {@link SloCompileBenchmark#writeSpecs} (10 SLOs each), as the CLI runs it (picocli
 * parsing, strict YAML reading, semantic checks) and, with {@code promtool=true}, the one {@code
 * promtool check rules} run per validate that checks the PromQL of every SLO. The JVM start is left
 * out (docs/performance.md has the cold CLI figure). Results in milliseconds per 1,000 SLOs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SloValidateBenchmark {

  /** Whether promtool checks the PromQL (it must be on PATH then). */
  @Param({"false", "true"})
  public boolean promtool;

  private Path workDir;
  private List<Path> specs;

  /** Writes the 100 spec files to a fresh temporary directory. */
  @Setup
  public void writeSpecFiles() {
    try {
      workDir = Files.createTempDirectory("vigil-slo-validate-bench");
      specs = SloCompileBenchmark.writeSpecs(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the benchmark's spec files under " + workDir, e);
    }
  }

  /** Deletes the temporary directory. */
  @TearDown
  public void deleteFiles() {
    SloCompileBenchmark.deleteTree(workDir);
  }

  /**
   * {@code vigil slo validate [--no-promtool] <100 files>}, in this JVM.
   *
   * @return the exit code, 0 (consumed by JMH)
   * @throws IllegalStateException when the command reports problems, with its error output
   */
  @Benchmark
  public int validate() {
    List<String> args = new ArrayList<>(List.of("validate"));
    if (!promtool) {
      args.add("--no-promtool");
    }
    specs.forEach(s -> args.add(s.toString()));
    StringWriter err = new StringWriter();
    picocli.CommandLine command = new picocli.CommandLine(new SloCommand());
    command.setOut(new PrintWriter(Writer.nullWriter()));
    command.setErr(new PrintWriter(err, true));
    int exit = command.execute(args.toArray(String[]::new));
    if (exit != 0) {
      throw new IllegalStateException("vigil slo validate exited with " + exit + ":\n" + err);
    }
    return exit;
  }
}

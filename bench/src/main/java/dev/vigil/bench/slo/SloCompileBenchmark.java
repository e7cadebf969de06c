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
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The time to compile 1,000 SLOs (goal: under 3 s): {@code vigil slo generate} on 100 spec files of
 * 10 SLOs each, half availability (event ratio) and half latency (histogram threshold), 30d and 28d
 * periods, the workbook's alert tiers. One operation is the whole command as the CLI runs it
 * (picocli parsing, read, validate, compile, write every file to the output directory); only the
 * JVM start is left out (see {@code docs/performance.md} for the cold figure of a fresh JVM).
 * Results in milliseconds per 1,000 SLOs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SloCompileBenchmark {

  /** Spec files (services) written by {@link #writeSpecs(Path)}. */
  public static final int SERVICES = 100;

  /** SLOs per spec file. */
  public static final int SLOS_PER_SERVICE = 10;

  private Path workDir;
  private List<Path> specs;
  private Path out;

  /** Writes the 100 spec files to a fresh temporary directory; the output goes next to them. */
  @Setup
  public void writeSpecFiles() {
    try {
      workDir = Files.createTempDirectory("vigil-slo-bench");
      specs = writeSpecs(Files.createDirectory(workDir.resolve("specs")));
      out = workDir.resolve("out");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the benchmark's spec files under " + workDir, e);
    }
  }

  /** Deletes the temporary directory. */
  @TearDown
  public void deleteFiles() {
    deleteTree(workDir);
  }

  /**
   * Deletes a benchmark's temporary directory and everything under it.
   *
   * @param dir the directory
   * @throws UncheckedIOException when something under it cannot be deleted
   */
  static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  /**
   * {@code vigil slo generate <100 files> --out <dir>}, in this JVM.
   *
   * @return the exit code, 0 (consumed by JMH)
   * @throws IllegalStateException when the command reports problems, with its error output
   */
  @Benchmark
  public int generate() {
    return generate(specs, out);
  }

  /**
   * Runs {@code vigil slo generate} through the same picocli command the CLI uses, output
   * discarded.
   *
   * @param specs spec files
   * @param out output directory (created; existing files are overwritten)
   * @return the exit code, 0
   * @throws IllegalStateException when it exits non-zero, with its error output
   */
  public static int generate(List<Path> specs, Path out) {
    List<String> args = new ArrayList<>(List.of("generate", "--out", out.toString()));
    specs.forEach(s -> args.add(s.toString()));
    StringWriter err = new StringWriter();
    picocli.CommandLine command = new picocli.CommandLine(new SloCommand());
    command.setOut(new PrintWriter(Writer.nullWriter()));
    command.setErr(new PrintWriter(err, true));
    int exit = command.execute(args.toArray(String[]::new));
    if (exit != 0) {
      throw new IllegalStateException("vigil slo generate exited with " + exit + ":\n" + err);
    }
    return exit;
  }

  /**
   * Writes {@link #SERVICES} vigil specs ({@code svc0.yaml} ... {@code svc99.yaml}) of {@link
   * #SLOS_PER_SERVICE} SLOs each: even SLOs availability over {@code http_requests_total} with a
   * 30d period, odd ones latency over {@code http_request_duration_seconds} (threshold 0.5 s) with
   * a 28d period, objectives 99.0 to 99.9 percent.
   *
   * @param dir an existing directory
   * @return the files written, sorted by name
   * @throws IOException when a file cannot be written
   */
  public static List<Path> writeSpecs(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    for (int s = 0; s < SERVICES; s++) {
      StringBuilder spec =
          new StringBuilder("apiVersion: vigil/v1\nservice: svc" + s + "\nslos:\n");
      for (int i = 0; i < SLOS_PER_SERVICE; i++) {
        spec.append("  - name: slo")
            .append(i)
            .append("\n    objective: 99.")
            .append(i)
            .append("\n    period: ")
            .append(i % 2 == 0 ? "30d" : "28d")
            .append("\n    sli:\n");
        if (i % 2 == 0) {
          spec.append("      events:\n        bad: sum(rate(http_requests_total{service=\"svc")
              .append(s)
              .append(
                  "\",status=~\"5..\"}[{{window}}]))\n        total: sum(rate(http_requests_total{service=\"svc")
              .append(s)
              .append("\"}[{{window}}]))\n");
        } else {
          spec.append(
                  "      latency:\n        metric: http_request_duration_seconds\n        selector: {service: svc")
              .append(s)
              .append("}\n        threshold: 0.5\n");
        }
      }
      Path file = dir.resolve("svc" + s + ".yaml");
      Files.writeString(file, spec);
      files.add(file);
    }
    files.sort(Comparator.naturalOrder());
    return files;
  }
}

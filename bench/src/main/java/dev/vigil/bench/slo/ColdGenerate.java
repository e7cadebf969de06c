package dev.vigil.bench.slo;

import dev.vigil.bench.load.Spread;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cold figure of SLO compilation: {@code java -jar vigil.jar slo generate <100 files> --out
 * <dir>} as a fresh JVM each time, wall time from process start to exit (JVM start, class loading
 * and interpreted code included), on the spec files of {@link
 * SloCompileBenchmark#writeSpecs(Path)}.
 */
public final class ColdGenerate {

  /**
   * The outcome.
   *
   * @param millis wall time per run, milliseconds, over the runs
   * @param command the command line of one run, with the 100 files abbreviated as a glob
   */
  public record Result(Spread millis, String command) {}

  private ColdGenerate() {}

  /**
   * Writes the specs under {@code workDir/slo-specs} and runs the CLI {@code runs} times into
   * {@code workDir/slo-out}.
   *
   * @param java the java executable
   * @param vigilJar the vigil jar
   * @param workDir the bench's work directory, e.g. {@code .vigil/bench}
   * @param runs how many fresh JVMs (at least 1)
   * @return the wall times and the command line
   * @throws IllegalStateException when the files cannot be written or a run fails, with its output
   */
  public static Result measure(Path java, Path vigilJar, Path workDir, int runs) {
    try {
      Path specDir = Files.createDirectories(workDir.resolve("slo-specs"));
      Path out = workDir.resolve("slo-out");
      List<String> command =
          new ArrayList<>(
              List.of(
                  java.toString(),
                  "-jar",
                  vigilJar.toString(),
                  "slo",
                  "generate",
                  "--out",
                  out.toString()));
      SloCompileBenchmark.writeSpecs(specDir).forEach(f -> command.add(f.toString()));
      List<Double> millis = new ArrayList<>();
      for (int run = 0; run < runs; run++) {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        millis.add((System.nanoTime() - start) / 1e6);
        if (exit != 0) {
          throw new IllegalStateException(
              "vigil slo generate exited with " + exit + ":\n" + output);
        }
      }
      String shown = String.join(" ", command.subList(0, 7)) + " " + specDir.resolve("svc*.yaml");
      return new Result(Spread.of(millis), shown);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run vigil slo generate under " + workDir + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while timing vigil slo generate", e);
    }
  }
}

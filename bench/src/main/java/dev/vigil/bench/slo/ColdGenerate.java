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
 * SloCompileBenchmark#writeSpecs(Path)}; and the same command started as {@code ./vigil} starts it
 * on JDK 25+, from an AOT cache made by one training run of {@code slo generate} (the launcher's is
 * of slos/, this one of the first spec file, 10 SLOs) and with the launcher's JVM flags for the
 * offline SLO commands ({@link #LAUNCHER_FLAGS}), the two taken in turn each round.
 */
public final class ColdGenerate {

  /**
   * The JVM flags {@code ./vigil} starts {@code slo generate} with besides the AOT cache: its
   * {@code SHORT_CLI_FLAGS} (C1 only, the serial collector), which {@code ColdGenerateTest} reads
   * from the launcher.
   */
  public static final List<String> LAUNCHER_FLAGS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  /**
   * The outcome.
   *
   * @param millis wall time per run, milliseconds, over the runs
   * @param command the command line of one run, with the 100 files abbreviated as a glob
   * @param aotMillis wall time per run from the AOT cache, milliseconds, or null when the JDK could
   *     not make one (before JDK 25)
   * @param aotCommand the command line of one run from the AOT cache, or null
   */
  public record Result(Spread millis, String command, Spread aotMillis, String aotCommand) {}

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
      List<Path> specs = SloCompileBenchmark.writeSpecs(specDir);
      specs.forEach(f -> command.add(f.toString()));
      Path cache = workDir.resolve("vigil.aot");
      Files.deleteIfExists(cache);
      List<String> aotCommand = new ArrayList<>(command);
      List<String> flags = new ArrayList<>(List.of("-XX:AOTCache=" + cache, "-Xlog:aot*=off"));
      flags.addAll(LAUNCHER_FLAGS);
      aotCommand.addAll(1, flags);
      List<String> training = new ArrayList<>(List.of(java.toString()));
      training.addAll(LAUNCHER_FLAGS);
      training.addAll(
          List.of(
              "-XX:AOTCacheOutput=" + cache,
              "-Xlog:aot*=off",
              "-jar",
              vigilJar.toString(),
              "slo",
              "generate",
              "--out",
              workDir.resolve("slo-training").toString(),
              specs.getFirst().toString()));
      boolean aot = timed(training, false) >= 0 && Files.isRegularFile(cache);
      List<Double> millis = new ArrayList<>();
      List<Double> aotMillis = new ArrayList<>();
      for (int run = 0; run < runs; run++) {
        millis.add(timed(command, true));
        if (aot) {
          aotMillis.add(timed(aotCommand, true));
        }
      }
      String glob = " " + specDir.resolve("svc*.yaml");
      return new Result(
          Spread.of(millis),
          String.join(" ", command.subList(0, 7)) + glob,
          aot ? Spread.of(aotMillis) : null,
          aot ? String.join(" ", aotCommand.subList(0, 9 + LAUNCHER_FLAGS.size())) + glob : null);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run vigil slo generate under " + workDir + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while timing vigil slo generate", e);
    }
  }

  /**
   * Runs a command to its end.
   *
   * @return its wall time in milliseconds, or -1 when it failed and {@code mustSucceed} is false
   * @throws IllegalStateException when it failed and must not, with its output
   */
  private static double timed(List<String> command, boolean mustSucceed)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = process.waitFor();
    double millis = (System.nanoTime() - start) / 1e6;
    if (exit == 0) {
      return millis;
    }
    if (mustSucceed) {
      throw new IllegalStateException("vigil slo generate exited with " + exit + ":\n" + output);
    }
    return -1;
  }
}

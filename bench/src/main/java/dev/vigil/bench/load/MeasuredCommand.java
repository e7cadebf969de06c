package dev.vigil.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs an external tool to completion under {@code /usr/bin/time}, so that the CPU time it used
 * (user + system, all threads) is known: on a 2-core machine the load generator's share is part of
 * every result.
 */
final class MeasuredCommand {

  /**
   * The outcome of a run.
   *
   * @param output everything the tool wrote to stdout and stderr
   * @param cpuSeconds user + system CPU seconds of the tool
   * @param wallSeconds elapsed seconds
   */
  record Outcome(String output, double cpuSeconds, double wallSeconds) {}

  private MeasuredCommand() {}

  /**
   * Runs {@code command} and waits for it.
   *
   * @param command the tool and its arguments, e.g. {@code [wrk, -t2, -c64, -d5s, URL]}
   * @return its output and CPU use
   * @throws IllegalStateException when the tool is missing, fails or is interrupted; the message
   *     holds the command line and the tool's output
   */
  static Outcome run(List<String> command) {
    Path timeFile = null;
    try {
      timeFile = Files.createTempFile("vigil-bench-time", ".txt");
      List<String> full =
          new ArrayList<>(List.of("/usr/bin/time", "-f", "%U %S", "-o", timeFile.toString()));
      full.addAll(command);
      long start = System.nanoTime();
      Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      double wall = (System.nanoTime() - start) / 1e9;
      if (exit != 0) {
        throw new IllegalStateException(
            "'" + String.join(" ", command) + "' exited with " + exit + ":\n" + output);
      }
      String[] times = Files.readString(timeFile).trim().split("\\s+");
      return new Outcome(output, Double.parseDouble(times[0]) + Double.parseDouble(times[1]), wall);
    } catch (IOException e) {
      throw new IllegalStateException(
          "could not run '"
              + String.join(" ", command)
              + "' (is it installed? /usr/bin/time comes from"
              + " the Debian package 'time', wrk and hey from their own packages): "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    } finally {
      if (timeFile != null) {
        try {
          Files.deleteIfExists(timeFile);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }
}

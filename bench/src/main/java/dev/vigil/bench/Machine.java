package dev.vigil.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the figures were taken on: CPU, cores, memory, kernel, JDK and tool versions, vigil commit.
 *
 * @param cpu CPU model name
 * @param cores online cores
 * @param memoryMib physical memory, MiB
 * @param kernel kernel release
 * @param jdk first line of {@code java -version} of the JDK running the services
 * @param wrk first line of {@code wrk --version}
 * @param commit {@code git rev-parse --short HEAD} of the repository, noting uncommitted changes in
 *     the modules the services are built from
 */
public record Machine(
    String cpu, int cores, long memoryMib, String kernel, String jdk, String wrk, String commit) {

  /**
   * Describes this machine.
   *
   * @param settings where the JDK and the repository are
   * @return the description; unknown fields read "unknown"
   */
  public static Machine describe(BenchSettings settings) {
    String cpu = "unknown";
    long memory = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memory = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException e) {
      // leave unknown
    }
    return new Machine(
        cpu,
        Runtime.getRuntime().availableProcessors(),
        memory,
        firstLine(List.of("uname", "-r"), settings.root()),
        firstLine(List.of(settings.java().toString(), "-version"), settings.root()),
        firstLine(List.of("wrk", "--version"), settings.root()),
        commit(settings.root()));
  }

  /** The commit, and whether the code the services were built from had uncommitted changes. */
  private static String commit(Path root) {
    String head = firstLine(List.of("git", "rev-parse", "--short", "HEAD"), root);
    String dirty =
        firstLine(
            List.of("git", "status", "--porcelain", "--", "telemetry", "catalog", "cli"), root);
    return dirty.isEmpty() || dirty.equals("unknown")
        ? head
        : head
            + " plus uncommitted changes in telemetry/, catalog/ or cli/ (work in progress of other engineers)";
  }

  private static String firstLine(List<String> command, Path dir) {
    try {
      Process p =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out.lines().findFirst().orElse("").trim();
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}

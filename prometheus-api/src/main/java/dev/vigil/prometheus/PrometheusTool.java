package dev.vigil.prometheus;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A program of the Prometheus project that vigil runs (promtool, amtool, Prometheus, Alertmanager,
 * the exporters), found on PATH: the one place that looks executables up. Nothing is installed from
 * here; a missing program is reported with the Debian package that provides it.
 *
 * @param executables names to look up on PATH, preferred first (Debian's name, then upstream's)
 * @param debianPackage the Debian package that provides it, for {@code apt-get install}
 */
public record PrometheusTool(List<String> executables, String debianPackage) {

  /** {@code promtool}: checks and unit-tests rule files, checks configs. */
  public static final PrometheusTool PROMTOOL =
      new PrometheusTool(List.of("promtool"), "prometheus");

  /** {@code amtool}: checks Alertmanager configs and tests routes. */
  public static final PrometheusTool AMTOOL =
      new PrometheusTool(List.of("amtool"), "prometheus-alertmanager");

  /**
   * {@code vmalert}: VictoriaMetrics' rule evaluator; {@code -dryRun} checks rule files as a second
   * engine does.
   */
  public static final PrometheusTool VMALERT =
      new PrometheusTool(List.of("vmalert"), "victoria-metrics");

  /** VictoriaMetrics' single-node store (Debian's {@code victoria-metrics}). */
  public static final PrometheusTool VICTORIA_METRICS =
      new PrometheusTool(List.of("victoria-metrics"), "victoria-metrics");

  /**
   * {@code vmagent}: VictoriaMetrics' scraper, which remote-writes what it scrapes; several share
   * the targets by hash ({@code -promscrape.cluster.*}).
   */
  public static final PrometheusTool VMAGENT =
      new PrometheusTool(List.of("vmagent"), "victoria-metrics");

  /** The Prometheus server. */
  public static final PrometheusTool PROMETHEUS =
      new PrometheusTool(List.of("prometheus"), "prometheus");

  /** The Alertmanager server. */
  public static final PrometheusTool ALERTMANAGER =
      new PrometheusTool(
          List.of("prometheus-alertmanager", "alertmanager"), "prometheus-alertmanager");

  /** node_exporter: host metrics. */
  public static final PrometheusTool NODE_EXPORTER =
      new PrometheusTool(
          List.of("prometheus-node-exporter", "node_exporter"), "prometheus-node-exporter");

  /** blackbox_exporter: probes over HTTP, TCP, ICMP. */
  public static final PrometheusTool BLACKBOX_EXPORTER =
      new PrometheusTool(
          List.of("prometheus-blackbox-exporter", "blackbox_exporter"),
          "prometheus-blackbox-exporter");

  /** How long {@link #run} waits for the program to finish. */
  private static final long RUN_TIMEOUT_SECONDS = 120;

  /**
   * Copies the names.
   *
   * @throws IllegalArgumentException when no executable name is given
   */
  public PrometheusTool {
    if (executables.isEmpty()) {
      throw new IllegalArgumentException("a tool needs at least one executable name");
    }
    executables = List.copyOf(executables);
  }

  /**
   * The name used in messages: the first executable name.
   *
   * @return e.g. {@code promtool}
   */
  public String name() {
    return executables.get(0);
  }

  /**
   * Looks the program up on PATH: each name in order, each PATH entry in order (an empty entry is
   * the working directory).
   *
   * @return the absolute path of the first executable regular file found, or empty
   */
  public Optional<Path> find() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String name : executables) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
          return Optional.of(candidate.toAbsolutePath());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The program on PATH, or a clear error saying what to install.
   *
   * @return the absolute path of the executable
   * @throws IllegalStateException when it is not on PATH (the message names the Debian package)
   */
  public Path require() {
    return find()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    name()
                        + " is not on PATH (looked for "
                        + String.join(" or ", executables)
                        + "). Install it with 'sudo apt-get install "
                        + debianPackage
                        + "' (./vigil test installs it when it may), then try again."));
  }

  /**
   * What a finished run printed and returned.
   *
   * @param exitCode the process exit status
   * @param output stdout and stderr, interleaved as written, UTF-8
   */
  public record Result(int exitCode, String output) {

    /**
     * Whether the program exited with status 0.
     *
     * @return true on success
     */
    public boolean succeeded() {
      return exitCode == 0;
    }
  }

  /**
   * Runs the program to completion (at most two minutes) and captures stdout and stderr together.
   *
   * @param workingDirectory where relative paths in the arguments resolve
   * @param arguments the arguments, e.g. {@code check rules rules.yml}
   * @return exit status and output
   * @throws IllegalStateException when the program is not on PATH
   * @throws IOException when it cannot be started, does not finish in time (it is killed) or the
   *     wait is interrupted
   */
  public Result run(Path workingDirectory, String... arguments) throws IOException {
    return run(RUN_TIMEOUT_SECONDS, workingDirectory, arguments);
  }

  /**
   * Runs the program to completion within a given time and captures stdout and stderr together.
   *
   * @param timeoutSeconds the longest run, in seconds (e.g. a month of history imported)
   * @param workingDirectory where relative paths in the arguments resolve
   * @param arguments the arguments
   * @return exit status and output
   * @throws IllegalStateException when the program is not on PATH
   * @throws IOException when it cannot be started, does not finish in time (it is killed) or the
   *     wait is interrupted
   */
  public Result run(long timeoutSeconds, Path workingDirectory, String... arguments)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(require().toString());
    command.addAll(List.of(arguments));
    Process process =
        new ProcessBuilder(command)
            .directory(workingDirectory.toFile())
            .redirectErrorStream(true)
            .start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(
            String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while running " + String.join(" ", command), e);
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}

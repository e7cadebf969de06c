package dev.vigil.drills.stack;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command-line tool from PATH in tests; a missing tool fails the test saying how to install it. */
record ExternalTool(String name, String debianPackage) {

  static final ExternalTool PROMTOOL = new ExternalTool("promtool", "prometheus");
  static final ExternalTool AMTOOL = new ExternalTool("amtool", "prometheus-alertmanager");

  /** Exit code and combined output of one run. */
  record Result(int exitCode, String output) {}

  Result run(String... args) throws IOException, InterruptedException {
    String path = System.getenv().getOrDefault("PATH", "");
    Path binary = null;
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (java.nio.file.Files.isExecutable(candidate)) {
        binary = candidate;
        break;
      }
    }
    if (binary == null) {
      fail(name + " is not on PATH; install it with: sudo apt-get install " + debianPackage
          + " (./vigil test installs it)");
    }
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(name + " did not finish within 60 s");
    }
    return new Result(process.exitValue(), output);
  }
}

package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool from the Debian packages the stack uses (promtool, amtool, prometheus-alertmanager,
 * prometheus-blackbox-exporter), found on PATH. A missing tool fails the test with the package to
 * install: these checks must never be skipped silently.
 */
final class ExternalTool {

    /** What a finished run printed and returned. */
    record Result(int exitCode, String output) {
        /** True when the tool exited with status 0. */
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private final Path executable;

    private ExternalTool(Path executable) {
        this.executable = executable;
    }

    /**
     * Finds a tool on PATH.
     *
     * @param name executable name, e.g. {@code promtool}
     * @param debianPackage the package that provides it, named in the failure message
     */
    static ExternalTool require(String name, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return new ExternalTool(candidate);
            }
        }
        return fail(name + " is not on PATH. Install it with 'sudo apt-get install " + debianPackage
                + "' (./vigil test installs it when it may), then run the tests again.");
    }

    /** The executable's path (for starting long-running processes). */
    Path executable() {
        return executable;
    }

    /**
     * Runs the tool to completion (at most two minutes) and captures stdout and stderr together.
     *
     * @param workingDirectory directory relative paths in the arguments resolve against
     * @param arguments command-line arguments
     */
    Result run(Path workingDirectory, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return fail(String.join(" ", command) + " did not finish within two minutes");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + executable, e);
        }
    }
}

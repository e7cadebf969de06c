package dev.vigil.stack;

import dev.vigil.stack.process.ServiceProcess;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Process supervision of the local stack: starts each {@link Launch} as a detached background
 * process (its own session, pid file under {@code run/}, log under {@code logs/}), waits until it
 * is ready, finds it again by its pid file in a later command, and stops it.
 */
final class Supervisor {

  /** How long a component may take to answer its readiness URL after start (the catalog: a JVM). */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final StackLayout layout;

  /**
   * @param layout where pid files and logs live
   */
  Supervisor(StackLayout layout) {
    this.layout = layout;
  }

  /**
   * Starts a launch in the background and records its pid.
   *
   * @param launch what to start
   * @return the started process
   * @throws StackStartException when its port is taken or it cannot be started
   */
  ServiceProcess spawn(Launch launch) {
    String id = launch.id();
    int port = launch.readiness().getPort();
    if (!portFree(port)) {
      throw new StackStartException(
          id
              + " cannot start: port "
              + port
              + " on 127.0.0.1 is taken by a"
              + " process vigil did not start (find it with: ss -ltnp 'sport = :"
              + port
              + "'); stop it and retry");
    }
    try {
      Files.createDirectories(layout.logFile(id).getParent());
      Files.createDirectories(layout.pidFile(id).getParent());
      List<String> command = new ArrayList<>();
      // setsid: a session of its own, so closing the terminal that ran `vigil up` does not stop the
      // stack.
      Path setsid = Path.of("/usr/bin/setsid");
      if (Files.isExecutable(setsid)) {
        command.add(setsid.toString());
      }
      command.addAll(launch.command());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(layout.root().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.logFile(id).toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().putAll(launch.environment());
      if (launch.environment().containsKey(StackAdmin.PORT_VARIABLE)) {
        // the token is passed at spawn, never recorded in the state file with the environment
        String admin = StackAdmin.readToken(layout);
        builder.environment().put(StackAdmin.TOKEN_VARIABLE, admin);
        // payments requires it, the catalog sends it (the services with an admin API)
        builder
            .environment()
            .put(StackAdmin.PAYMENTS_TOKEN_VARIABLE, StackAdmin.paymentsToken(admin));
      }
      Files.writeString(
          layout.logFile(id),
          // a JSON line like the services' own (logback's fields), so `jq` reads every line
          startLine(id, command),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ServiceProcess process = ServiceProcess.start(builder);
      Files.writeString(layout.pidFile(id), process.process().pid() + "\n");
      return process;
    } catch (IOException e) {
      throw new StackStartException(
          id + " cannot start (" + e.getMessage() + "): " + String.join(" ", launch.command()), e);
    }
  }

  /**
   * Waits until a started launch answers its readiness URL.
   *
   * @param launch the launch
   * @param process its process
   * @throws StackStartException when it exits first or is not ready within {@link #READY_TIMEOUT}
   *     (names it, with the tail of its log)
   */
  void awaitReady(Launch launch, ServiceProcess process) {
    String id = launch.id();
    ServiceProcess.Readiness outcome;
    try {
      outcome = process.awaitReady(launch.readiness(), READY_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackStartException("interrupted while waiting for " + id, e);
    }
    switch (outcome) {
      case READY -> {}
      case EXITED -> {
        deleteQuietly(layout.pidFile(id));
        throw new StackStartException(
            id
                + " exited with code "
                + process.process().exitValue()
                + " before it was ready at "
                + launch.readiness()
                + ". Last lines of "
                + layout.logFile(id)
                + ":\n"
                + logTail(id));
      }
      case TIMED_OUT ->
          throw new StackStartException(
              id
                  + " (pid "
                  + process.process().pid()
                  + ") is not ready at "
                  + launch.readiness()
                  + " after "
                  + READY_TIMEOUT.toSeconds()
                  + " s; it keeps"
                  + " running (./vigil down stops it). Last lines of "
                  + layout.logFile(id)
                  + ":\n"
                  + logTail(id));
    }
  }

  /**
   * Stops a component by its pid file: SIGTERM, then SIGKILL after {@link
   * ServiceProcess#STOP_GRACE}.
   *
   * @param component the component
   * @return the pid stopped, or 0 when it was not running
   */
  long stop(Component component) {
    return stop(component.id());
  }

  /**
   * Stops one replica by its pid file: SIGTERM, then SIGKILL after {@link
   * ServiceProcess#STOP_GRACE}.
   *
   * @param id the replica's id, e.g. {@code catalog-2}
   * @return the pid stopped, or 0 when it was not running
   */
  long stop(String id) {
    long pid = livePid(id);
    if (pid > 0) {
      ProcessHandle.of(pid).ifPresent(p -> ServiceProcess.stop(p, ServiceProcess.STOP_GRACE));
    }
    deleteQuietly(layout.pidFile(id));
    return pid;
  }

  /**
   * The pid in the component's pid file when that process is alive, else 0 (and a stale file is
   * removed).
   *
   * @param c the component
   * @return the live pid or 0
   */
  long livePid(Component c) {
    return livePid(c.id());
  }

  /**
   * The pid in a replica's pid file when that process is alive, else 0 (and a stale file is
   * removed).
   *
   * @param id the replica's id, e.g. {@code catalog-2}
   * @return the live pid or 0
   */
  long livePid(String id) {
    Path file = layout.pidFile(id);
    if (!Files.exists(file)) {
      return 0;
    }
    try {
      long pid = Long.parseLong(Files.readString(file).strip());
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        return pid;
      }
    } catch (IOException | NumberFormatException e) {
      // unreadable pid file: treated as stale below
    }
    deleteQuietly(file);
    return 0;
  }

  private String logTail(String id) {
    try {
      List<String> lines = Files.readAllLines(layout.logFile(id), StandardCharsets.UTF_8);
      return lines.subList(Math.max(0, lines.size() - 20), lines.size()).stream()
          .map(l -> "  | " + l)
          .collect(Collectors.joining("\n"));
    } catch (IOException | UncheckedIOException e) {
      return "  (log unreadable: " + e.getMessage() + ")";
    }
  }

  private static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a pid file we cannot delete is found stale next time
    }
  }

  /**
   * The line written to a component's log before it starts: one JSON object with the services' log
   * fields ({@code timestamp}, {@code level}, {@code logger}, {@code message}) and the command.
   *
   * @param id the replica's id, e.g. {@code catalog-2}
   * @param command its command line
   * @return the JSON line, newline-terminated
   */
  static String startLine(String id, List<String> command) {
    com.fasterxml.jackson.databind.node.ObjectNode line =
        new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    line.put("timestamp", Instant.now().toString());
    line.put("level", "INFO");
    line.put("logger", "vigil.stack");
    line.put("message", "starting " + id);
    line.putPOJO("command", List.copyOf(command));
    return line.toString() + "\n";
  }
}

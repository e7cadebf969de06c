package dev.vigil.stack.process;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A service running as a process of its own (a vigil JVM, Prometheus, an exporter): the one way
 * vigil starts a service, waits until it is ready and stops it. Used by the local stack, the load
 * benchmarks and the catalog's process tests.
 *
 * <p>Ready means: a condition holds (normally: a readiness URL answers 200) while the process is
 * alive. Waiting polls every {@link #POLL} and ends at a deadline counted from the start of the
 * process, so the time to ready ({@link #sinceStart()}) is a start-up time. Stopping sends SIGTERM
 * and, after a grace period, SIGKILL.
 */
public final class ServiceProcess implements AutoCloseable {

  /** How often readiness is polled. */
  public static final Duration POLL = Duration.ofMillis(10);

  /** How long a service may take to exit after SIGTERM before it gets SIGKILL. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(15);

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(1))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  /** How waiting for readiness ended. */
  public enum Readiness {
    /** The condition held while the process was alive. */
    READY,
    /** The process exited first; see {@link Process#exitValue()}. */
    EXITED,
    /** The deadline passed; the process still runs. */
    TIMED_OUT
  }

  private final Process process;
  private final long startNanos;

  private ServiceProcess(Process process, long startNanos) {
    this.process = process;
    this.startNanos = startNanos;
  }

  /**
   * The command line that runs a main class in a new JVM with this JVM's {@code java} and class
   * path (entries made absolute, so the working directory of the new process does not matter).
   *
   * @param mainClass fully qualified main class name
   * @param args arguments after the class name
   * @return the command line
   */
  public static List<String> javaCommand(String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.add("-cp");
    command.add(
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(p -> Path.of(p).toAbsolutePath().toString())
            .collect(Collectors.joining(File.pathSeparator)));
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  /**
   * The {@code java} executable of this JVM.
   *
   * @return its absolute path
   */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Starts a process; the start time is taken just before.
   *
   * @param builder command line, environment, working directory and redirects, all set by the
   *     caller
   * @return the running service
   * @throws IOException when the process cannot be started (e.g. no such executable)
   */
  public static ServiceProcess start(ProcessBuilder builder) throws IOException {
    long start = System.nanoTime();
    return new ServiceProcess(builder.start(), start);
  }

  /**
   * The process.
   *
   * @return the running (or exited) process
   */
  public Process process() {
    return process;
  }

  /**
   * Time since the process was started.
   *
   * @return elapsed time; right after {@link Readiness#READY}, the start-up time
   */
  public Duration sinceStart() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /**
   * Waits until a URL answers 200.
   *
   * @param readiness e.g. {@code http://127.0.0.1:8000/readyz}
   * @param timeout the longest wait, counted from the process start
   * @return how the wait ended
   * @throws InterruptedException when interrupted while waiting
   */
  public Readiness awaitReady(URI readiness, Duration timeout) throws InterruptedException {
    return awaitReady(() -> ready(readiness), timeout);
  }

  /**
   * Whether a readiness URL says ready now: an {@code http} URL answers 200 ({@link #answers200}),
   * a {@code tcp://host:port} URL accepts a connection (2 s at most).
   *
   * @param readiness e.g. {@code http://127.0.0.1:8000/readyz} or {@code tcp://127.0.0.1:5433}
   * @return whether it is ready
   */
  public static boolean ready(URI readiness) {
    if (!"tcp".equals(readiness.getScheme())) {
      return answers200(readiness);
    }
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(
          new java.net.InetSocketAddress(readiness.getHost(), readiness.getPort()), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Waits until a condition holds, e.g. the service announced its port in its log.
   *
   * @param ready checked every {@link #POLL} while the process is alive
   * @param timeout the longest wait, counted from the process start
   * @return how the wait ended
   * @throws InterruptedException when interrupted while waiting
   */
  public Readiness awaitReady(BooleanSupplier ready, Duration timeout) throws InterruptedException {
    long deadline = startNanos + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        return Readiness.EXITED;
      }
      if (ready.getAsBoolean()) {
        return Readiness.READY;
      }
      Thread.sleep(POLL);
    }
    return Readiness.TIMED_OUT;
  }

  /**
   * Whether a URL answers 200 now (2 s at most).
   *
   * @param url the URL to GET
   * @return true on 200; false on any other status or when nothing answers
   */
  public static boolean answers200(URI url) {
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Stops a process: SIGTERM, then SIGKILL when it has not exited after the grace period; returns
   * once it has exited (or at once when interrupted, after SIGKILL).
   *
   * @param process any process of this user, e.g. from a pid file
   * @param grace how long it may take to shut down gracefully
   * @throws IllegalStateException when waiting for the exit fails
   */
  public static void stop(ProcessHandle process, Duration grace) {
    process.destroy();
    try {
      process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      process.destroyForcibly();
      process.onExit().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for pid " + process.pid() + " failed", e);
    }
  }

  /**
   * Stops the service (SIGTERM, then SIGKILL after {@link #STOP_GRACE}) and waits for it to exit.
   */
  @Override
  public void close() {
    stop(process.toHandle(), STOP_GRACE);
  }
}

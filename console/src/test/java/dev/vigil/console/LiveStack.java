package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.stack.Component;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.ServiceCommands;
import dev.vigil.stack.StackAdmin;
import dev.vigil.stack.StackLayout;
import dev.vigil.stack.StackProfile;
import dev.vigil.stack.process.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The local stack as {@code ./vigil up} runs it (stack's {@link LocalStack}, test profile: random
 * ports, scrape and evaluation every second): the real catalog and payment provider as processes
 * with their admin APIs and token, Zipkin as the trace backend, Prometheus with exemplar storage,
 * Alertmanager, the exporters and the receiver; and a console on a random port over it, started in
 * this JVM with the stack's URLs, state directory (admin token, profiles) and log directory.
 * Started once per test JVM, stopped at its exit.
 */
final class LiveStack {

  private static LiveStack instance;

  final Path state;
  final LocalStack stack;
  final URI catalog;
  final URI zipkin;
  final URI prometheus;
  final URI console;
  final StackAdmin admin;
  private final ConsoleServer server;

  private LiveStack(Path state, LocalStack stack, ConsoleServer server) {
    this.state = state;
    this.stack = stack;
    this.server = server;
    this.catalog = stack.url(Component.CATALOG);
    this.zipkin = stack.url(Component.TRACE_BACKEND);
    this.prometheus = stack.url(Component.PROMETHEUS);
    this.console = URI.create("http://127.0.0.1:" + server.port());
    this.admin = StackAdmin.read(state);
  }

  /** The shared stack, started on first use. */
  static synchronized LiveStack get() throws IOException {
    if (instance == null) {
      instance = start();
      LiveStack started = instance;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
    }
    return instance;
  }

  private static LiveStack start() throws IOException {
    String zipkinJar = System.getProperty("zipkin.jar");
    assertThat(zipkinJar != null && Files.isRegularFile(Path.of(zipkinJar)))
        .as(
            "the Zipkin server jar (system property zipkin.jar='%s') is missing: run the tests with"
                + " Maven, which copies it into console/target/zipkin/",
            zipkinJar)
        .isTrue();
    Path state = Files.createTempDirectory("vigil-console-stack");
    LocalStack stack = new LocalStack(new StackLayout(state));
    LocalStack.UpResult up =
        stack.up(
            LiveConsole.ROOT.resolve("deploy"),
            StackProfile.test(),
            new ServiceCommands(
                ServiceProcess.javaCommand("dev.vigil.catalog.CatalogCommand"),
                ServiceProcess.javaCommand("dev.vigil.payments.PaymentsCommand"),
                ServiceProcess.javaCommand("dev.vigil.stack.command.ReceiverCommand"),
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-jar",
                    zipkinJar)),
            line -> System.out.println("stack: " + line));
    assertThat(up.missing())
        .as("binaries missing on PATH; install with: %s", up.installCommand())
        .isEmpty();
    StackAdmin admin = StackAdmin.read(state);
    ConsoleServer server =
        ConsoleServer.start(
            ConsoleConfig.builder()
                .port(0)
                .prometheus(stack.url(Component.PROMETHEUS))
                .specs(List.of(LiveConsole.ROOT.resolve("slos/catalog.yaml")))
                .zipkin(stack.url(Component.TRACE_BACKEND))
                .stateDir(state)
                .logs(stack.layout().logFile(Component.CATALOG).getParent())
                .notifications(stack.layout().notifications())
                .runbooks(LiveConsole.ROOT.resolve("docs/runbooks"))
                .adminApis(admin.urls())
                .build());
    return new LiveStack(state, stack, server);
  }

  private void stop() {
    server.close();
    stack.down(line -> {});
  }

  /**
   * Sends {@code GET path} to the catalog from a few virtual threads at a fixed rate, until
   * stopped: bounded (rate, requests in flight, 5 minutes at most), loopback-only traffic.
   *
   * @param path e.g. {@code /api/products}
   * @param perSecond requests a second, all clients together
   * @param clients how many requests are in flight at most
   * @return the running traffic; close it to stop
   */
  Traffic traffic(String path, int perSecond, int clients) {
    return new Traffic(catalog.resolve(path), perSecond, clients, Duration.ofMinutes(5));
  }

  /** Requests sent to the catalog until closed. */
  static final class Traffic implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong answered = new AtomicLong();
    private final List<Thread> threads;

    private Traffic(URI uri, int perSecond, int clients, Duration longest) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      long deadline = System.nanoTime() + longest.toNanos();
      long intervalNanos = 1_000_000_000L * clients / perSecond;
      threads =
          IntStream.range(0, clients)
              .mapToObj(
                  i ->
                      Thread.ofVirtual()
                          .start(
                              () -> {
                                long next = System.nanoTime();
                                while (running.get() && System.nanoTime() < deadline) {
                                  try {
                                    long wait = next - System.nanoTime();
                                    if (wait > 0) {
                                      Thread.sleep(Duration.ofNanos(wait));
                                    }
                                    next += intervalNanos;
                                    http.send(
                                        HttpRequest.newBuilder(uri)
                                            .timeout(Duration.ofSeconds(10))
                                            .build(),
                                        HttpResponse.BodyHandlers.discarding());
                                    answered.incrementAndGet();
                                  } catch (IOException e) {
                                    // the catalog is busy or restarting: the next request tells
                                  } catch (InterruptedException e) {
                                    return;
                                  }
                                }
                              }))
              .toList();
    }

    /** Requests answered so far. */
    long answered() {
      return answered.get();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join(Duration.ofSeconds(15));
      }
    }
  }
}

package dev.vigil.stack.command;

import dev.vigil.stack.StackLayout;
import dev.vigil.stack.receiver.AlertReceiver;
import dev.vigil.stack.receiver.NotificationLog;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil receiver}: runs the local alert receiver in the foreground until stopped (SIGTERM or
 * Ctrl-C). {@code vigil up} starts it in the background; it can also run on its own.
 */
@Command(
    name = "receiver",
    mixinStandardHelpOptions = true,
    description =
        "Run the local alert receiver: records Alertmanager webhook notifications "
            + "(POST /alerts/<receiver>) as JSON lines. Runs until stopped.")
public final class ReceiverCommand implements Callable<Integer> {

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE})")
  String host;

  @Option(
      names = "--port",
      defaultValue = "9095",
      description = "TCP port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--log",
      paramLabel = "FILE",
      description = "JSONL file to append to (default: <state dir>/alerts/notifications.jsonl)")
  Path log;

  /**
   * Serves until the JVM is asked to stop.
   *
   * @return never returns normally while serving; 0 after an interrupt
   */
  @Override
  public Integer call() throws InterruptedException {
    Path file = log != null ? log : StackLayout.fromEnvironment().notifications();
    AlertReceiver receiver = AlertReceiver.start(host, port, new NotificationLog(file), System.out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  receiver.close();
                  stopped.countDown();
                }));
    System.out.println(
        "alert receiver listening on http://"
            + host
            + ":"
            + receiver.port()
            + "/alerts/<receiver>, recording to "
            + file.toAbsolutePath());
    stopped.await();
    return 0;
  }

  /**
   * Runs the receiver as its own process; {@code vigil up} starts it this way with the jar's class
   * path.
   *
   * @param args the options of this command, e.g. {@code --port 9095 --log
   *     .vigil/alerts/notifications.jsonl}
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ReceiverCommand()).execute(args));
  }
}

package dev.vigil.slo.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The slo commands that read history share one {@code --prometheus} option: a value that is not a
 * URL is a usage error (exit 2) saying how to write one, before anything is read; {@code host:port}
 * means http (the command then tries that address: a closed port is a store error, exit 1, naming
 * the address).
 */
class PrometheusOptionTest {

  @ParameterizedTest
  @ValueSource(strings = {"report", "gate", "backtest", "backfill"})
  void aValueThatIsNotAUrlIsAUsageErrorSayingHowToWriteOne(String command) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SloCommand());
    cli.setErr(new PrintWriter(err));

    int code =
        cli.execute(command, "--prometheus", "http://[bad", "--from", "1h", "../slos/catalog.yaml");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("--prometheus 'http://[bad' is not a URL: write it as http://HOST:PORT");
  }

  @ParameterizedTest
  @ValueSource(strings = {"report", "gate"})
  void hostAndPortMeansHttp(String command) throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SloCommand());
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));

    int code =
        cli.execute(
            command,
            "--prometheus",
            "127.0.0.1:" + closed,
            System.getProperty("vigil.root", "..") + "/slos/catalog.yaml");

    assertThat(code).as(err.toString()).isEqualTo(1);
    assertThat(err.toString()).contains("http://127.0.0.1:" + closed);
  }
}

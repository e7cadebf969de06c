package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@link Main#commandLineFor}: a run of one subcommand builds that subcommand's tree only, and
 * reads exactly as it does in the whole tree.
 */
class MainTest {

  @Test
  void theWholeTreeListsEverySubcommandInOrder() {
    assertThat(Main.commandLine().getSubcommands().keySet())
        .containsExactly(
            "catalog",
            "payments",
            "stack",
            "slo",
            "alerts",
            "fault",
            "drill",
            "incident",
            "receiver",
            "console",
            "profile");
  }

  @Test
  void aNamedSubcommandBringsItsTreeOnly() {
    assertThat(Main.commandLineFor("slo", "generate", "slos/").getSubcommands().keySet())
        .containsExactly("slo");
    assertThat(Main.commandLineFor("console", "--help").getSubcommands().keySet())
        .containsExactly("console");
    assertThat(Main.commandLineFor("slo").getCommandSpec().qualifiedName()).isEqualTo("vigil");
  }

  @Test
  void anythingElseGetsTheWholeTree() {
    for (String[] args :
        List.of(new String[0], new String[] {"--help"}, new String[] {"sloo"}, new String[] {""})) {
      assertThat(Main.commandLineFor(args).getSubcommands()).as("%s", List.of(args)).hasSize(11);
    }
  }

  /** Usage, version and usage errors read the same from the one-subcommand tree. */
  @Test
  void helpAndErrorsReadAsInTheWholeTree() {
    for (List<String> args :
        List.of(
            List.of("slo", "--help"),
            List.of("slo", "generate", "--help"),
            List.of("slo", "generate", "--bogus"),
            List.of("slo"),
            List.of("slo", "nope"),
            List.of("stack", "status", "--help"),
            List.of("drill", "--help"),
            List.of("profile", "--help"))) {
      String[] argv = args.toArray(String[]::new);
      assertThat(run(Main.commandLineFor(argv), argv))
          .as("vigil %s", String.join(" ", args))
          .isEqualTo(run(Main.commandLine(), argv));
    }
  }

  /** Exit code, standard output and standard error of one run. */
  private static String run(CommandLine commandLine, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(args);
    return exit + "\n" + out + "\n" + err;
  }
}

package dev.vigil.stack.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemResponses;
import dev.vigil.telemetry.profiling.ProfileEndpoint;
import dev.vigil.telemetry.profiling.ProfileRecorder;
import io.javalin.Javalin;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil profile} against a service's profile endpoint behind a bearer token (as on the admin
 * server): prints the Markdown summary, and says plainly when the token is wrong.
 */
class ProfileCommandTest {

  @TempDir Path state;
  @TempDir Path profiles;

  private Javalin admin;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() {
    ProfileRecorder recorder = new ProfileRecorder(profiles, "catalog", List.of("dev.vigil."));
    admin =
        Javalin.create(
                config -> {
                  config.startup.showJavalinBanner = false;
                  config.routes.before(
                      ctx -> {
                        if (!"Bearer s3cret".equals(ctx.header("Authorization"))) {
                          ctx.header("WWW-Authenticate", "Bearer");
                          ProblemResponses.write(ctx, Problem.of(401, "missing or wrong token"));
                          ctx.skipRemainingHandlers();
                        }
                      });
                  config.routes.post("/admin/profile", new ProfileEndpoint(recorder));
                })
            .start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    admin.stop();
  }

  @Test
  void profilePrintsTheServicesSummaryAsMarkdown() {
    int exit = run("--token", "s3cret", "--seconds", "1", "--settings", "default");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .startsWith("# Profile of catalog, 1 s, JFR settings default")
        .contains("## Top methods by CPU samples")
        .contains("## Slowest requests in the window");
    assertThat(err.toString()).contains("recording saved by catalog to " + profiles);
  }

  @Test
  void aWrongAdminTokenIsReportedAsSuchNotAsAStackTrace() {
    int exit = run("--token", "guess", "--seconds", "1");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString())
        .contains("refused the profile (401)")
        .contains("admin token was refused")
        .doesNotContain("Exception");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void withoutARunningStackOrAnAdminUrlTheUserIsToldToStartTheStack() {
    CommandLine cli = new CommandLine(new ProfileCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int exit = cli.execute("--state-dir", state.toString(), "--seconds", "1");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("./vigil up").contains("--admin-url");
  }

  private int run(String... args) {
    CommandLine cli = new CommandLine(new ProfileCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 4];
    all[0] = "--admin-url";
    all[1] = "http://127.0.0.1:" + admin.port();
    all[2] = "--state-dir";
    all[3] = state.toString();
    System.arraycopy(args, 0, all, 4, args.length);
    return cli.execute(all);
  }
}

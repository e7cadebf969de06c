package dev.vigil.stack.command;

import dev.vigil.stack.AdminClient;
import dev.vigil.stack.StackAdmin;
import dev.vigil.stack.StackLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil profile --service catalog --seconds 30}: asks a running service's admin API ({@code
 * POST /admin/profile}) for a JDK Flight Recorder profile and prints its Markdown summary; the
 * recording itself is saved by the service under its state directory ({@code profiles/}).
 */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    description =
        "Record a running service with JDK Flight Recorder for a while and print the summary "
            + "(top CPU methods, allocation sites, GC pauses, contended locks, slowest requests "
            + "with trace ids) as Markdown. The .jfr file is saved by the service.")
public final class ProfileCommand implements Callable<Integer> {

  @Option(
      names = "--service",
      defaultValue = "catalog",
      description = "catalog or payments (default: ${DEFAULT-VALUE})")
  String service;

  @Option(
      names = "--seconds",
      defaultValue = "30",
      description = "How long to record, 1..300 (default: ${DEFAULT-VALUE})")
  int seconds;

  @Option(
      names = "--settings",
      defaultValue = "profile",
      description = "JFR settings: default (low overhead) or profile (more detail; default)")
  String settings;

  @Option(
      names = "--admin-url",
      paramLabel = "URL",
      description =
          "The service's admin API, e.g. http://127.0.0.1:8010 (default: from the local stack's "
              + "state, StackAdmin)")
  URI adminUrl;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "Admin token (default: the local stack's <state dir>/admin-token when --admin-url is"
              + " not given, else $VIGIL_ADMIN_TOKEN)")
  String token;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Also write the summary to this file")
  Path output;

  @Mixin StateDirOption state;

  @Spec CommandSpec spec;

  /**
   * Records and prints the profile.
   *
   * @return 0 on success, 1 when the service refused or could not be reached (the reason printed)
   */
  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    StackLayout layout = state.stack().layout();

    URI base = adminUrl;
    if (base == null) {
      try {
        base = StackAdmin.read(layout.root()).url(service);
      } catch (IllegalStateException | IllegalArgumentException e) {
        err.println(
            e.getMessage()
                + " (or give --admin-url http://127.0.0.1:<admin port> of a service started "
                + "with VIGIL_ADMIN_TOKEN)");
        return 1;
      }
    }
    // the local stack's token file only for the local stack's admin API
    Optional<String> bearer =
        AdminClient.token(
            Optional.ofNullable(token),
            adminUrl == null ? Optional.of(layout.adminToken()) : Optional.empty(),
            System.getenv());
    if (bearer.isEmpty()) {
      err.println(
          "no admin token: give --token, set "
              + StackAdmin.TOKEN_VARIABLE
              + ", or start the stack with ./vigil up (it writes "
              + layout.adminToken()
              + ")");
      return 1;
    }
    AdminClient client =
        new AdminClient(base, bearer.get(), Duration.ofSeconds(Math.max(1, seconds) + 60L));
    err.println("recording " + service + " for " + seconds + " s (" + settings + " settings)...");
    err.flush();
    AdminClient.Answer answer;
    try {
      answer =
          client.post(
              "/admin/profile?seconds=" + seconds + "&settings=" + AdminClient.encode(settings));
    } catch (IOException e) {
      err.println(
          "no admin API answers at "
              + base
              + " ("
              + e.getClass().getSimpleName()
              + "): is "
              + service
              + " running with VIGIL_ADMIN_TOKEN set (./vigil up does it)?");
      return 1;
    }
    if (answer.status() != 200) {
      err.println(service + " refused the profile (" + answer.status() + "): " + reason(answer));
      return 1;
    }
    out.print(answer.body());
    out.flush();
    answer
        .headers()
        .firstValue("X-Profile-File")
        .ifPresent(file -> err.println("recording saved by " + service + " to " + file));
    if (output != null) {
      Files.writeString(output, answer.body(), StandardCharsets.UTF_8);
      err.println("summary written to " + output);
    }
    return 0;
  }

  private static String reason(AdminClient.Answer answer) {
    if (answer.status() == 401) {
      return "the admin token was refused: use the token of the running stack "
          + "(<state dir>/admin-token) or the service's VIGIL_ADMIN_TOKEN";
    }
    return answer.detail();
  }
}

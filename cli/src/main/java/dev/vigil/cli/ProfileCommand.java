package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.stack.StackAdmin;
import dev.vigil.stack.StackLayout;
import dev.vigil.stack.command.StateDirOption;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
          "Admin token (default: the local stack's, else $VIGIL_ADMIN_TOKEN, else "
              + "<state dir>/admin-token)")
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
    String bearer = token;
    if (base == null) {
      try {
        StackAdmin stack = StackAdmin.read(layout.root());
        base = stack.url(service);
        bearer = bearer == null ? stack.token() : bearer;
      } catch (IllegalStateException | IllegalArgumentException e) {
        err.println(
            e.getMessage()
                + " (or give --admin-url http://127.0.0.1:<admin port> of a service started "
                + "with VIGIL_ADMIN_TOKEN)");
        return 1;
      }
    }
    bearer = bearer == null ? token(layout.adminToken()) : bearer;
    if (bearer == null) {
      err.println(
          "no admin token: give --token, set VIGIL_ADMIN_TOKEN, or start the stack with ./vigil up "
              + "(it writes "
              + layout.adminToken()
              + ")");
      return 1;
    }
    URI uri =
        URI.create(
            base.toString().replaceAll("/+$", "")
                + "/admin/profile?seconds="
                + seconds
                + "&settings="
                + settings);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + bearer)
            .POST(HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(Math.max(1, seconds) + 60L))
            .build();
    err.println("recording " + service + " for " + seconds + " s (" + settings + " settings)...");
    err.flush();
    HttpResponse<String> response;
    try (HttpClient http = HttpClient.newHttpClient()) {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      err.println(
          "no admin API answers at "
              + base
              + ": is "
              + service
              + " running with VIGIL_ADMIN_TOKEN set (./vigil up does it)?");
      return 1;
    }
    if (response.statusCode() != 200) {
      err.println(
          service + " refused the profile (" + response.statusCode() + "): " + reason(response));
      return 1;
    }
    out.print(response.body());
    out.flush();
    response
        .headers()
        .firstValue("X-Profile-File")
        .ifPresent(file -> err.println("recording saved by " + service + " to " + file));
    if (output != null) {
      Files.writeString(output, response.body(), StandardCharsets.UTF_8);
      err.println("summary written to " + output);
    }
    return 0;
  }

  private String token(Path file) throws IOException {
    if (token != null && !token.isBlank()) {
      return token.trim();
    }
    String env = System.getenv("VIGIL_ADMIN_TOKEN");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    return Files.isReadable(file) ? Files.readString(file).trim() : null;
  }

  private static String reason(HttpResponse<String> response) {
    if (response.statusCode() == 401) {
      return "the admin token was refused: use the token of the running stack "
          + "(<state dir>/admin-token) or the service's VIGIL_ADMIN_TOKEN";
    }
    try {
      JsonNode problem = new ObjectMapper().readTree(response.body());
      if (problem != null && problem.hasNonNull("detail")) {
        return problem.get("detail").asText();
      }
    } catch (IOException e) {
      // not problem+json: show the body as it came
    }
    return response.body();
  }
}

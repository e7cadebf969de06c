package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.stack.command.ReceiverCommand;
import dev.vigil.stack.process.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackAdminTest {

  private static final Path DEPLOY =
      Path.of(System.getProperty("vigil.root", "..")).resolve("deploy");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path stateDir;
  private Supervisor supervisor;

  @AfterEach
  void stop() {
    if (supervisor != null) {
      supervisor.stop(Component.CATALOG);
    }
  }

  @Test
  void theAdminTokenIsReadableByItsOwnerOnlyAndFreshEachTime() throws Exception {
    StackLayout layout = new StackLayout(stateDir);
    String first = StackAdmin.writeToken(layout);
    String second = StackAdmin.writeToken(layout);

    assertThat(second).isNotEqualTo(first).hasSizeGreaterThanOrEqualTo(43);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(layout.adminToken())))
        .isEqualTo("rw-------");
    assertThat(StackAdmin.readToken(layout)).isEqualTo(second);
  }

  @Test
  void thePaymentTokenIsLongEnoughStableForOneAdminTokenAndRevealsNothingOfIt() throws Exception {
    StackLayout layout = new StackLayout(stateDir);
    String admin = StackAdmin.writeToken(layout);

    String payments = StackAdmin.paymentsToken(admin);

    assertThat(payments)
        .as("services refuse tokens shorter than 32 characters")
        .hasSizeGreaterThanOrEqualTo(32)
        .isEqualTo(StackAdmin.paymentsToken(admin))
        .isNotEqualTo(admin)
        .doesNotContain(admin.substring(0, 8));
    assertThat(StackAdmin.paymentsToken(StackAdmin.writeToken(layout))).isNotEqualTo(payments);
  }

  @Test
  void aServiceStartedByTheStackGetsTheTokenAndStackAdminReachesItsAdminPort() throws Exception {
    StackLayout layout = new StackLayout(stateDir);
    StackProfile profile = StackProfile.test();
    LaunchPlan plan =
        new LaunchPlan(
            profile,
            layout,
            new ConfigRenderer(DEPLOY.toAbsolutePath(), profile, layout.configDir()),
            new ServiceCommands(
                ServiceProcess.javaCommand(StandInService.class.getName()),
                ServiceProcess.javaCommand(StandInService.class.getName()),
                ServiceProcess.javaCommand(ReceiverCommand.class.getName()),
                List.of()));
    List<Launch> launches = plan.launches().launches();
    new StackStateFile(layout.stateFile()).write(new StackState(profile, launches));
    String token = StackAdmin.writeToken(layout);
    Launch catalog =
        launches.stream().filter(l -> l.component() == Component.CATALOG).findFirst().orElseThrow();
    supervisor = new Supervisor(layout);
    supervisor.awaitReady(catalog, supervisor.spawn(catalog));

    StackAdmin admin = StackAdmin.read(stateDir);
    assertThat(admin.url("catalog"))
        .isEqualTo(URI.create("http://127.0.0.1:" + profile.ports().catalogAdmin()));
    assertThat(admin.url("payments"))
        .isEqualTo(URI.create("http://127.0.0.1:" + profile.ports().paymentsAdmin()));
    assertThat(admin.token()).isEqualTo(token);
    assertThat(admin.toString()).doesNotContain(token);

    assertThat(get(admin.url("catalog"), admin.authorization()).statusCode())
        .as("the catalog process was given the token of .vigil/admin-token")
        .isEqualTo(200);
    assertThat(get(admin.url("catalog"), "Bearer not-the-token").statusCode()).isEqualTo(401);
    assertThat(Files.readString(layout.stateFile(), StandardCharsets.UTF_8))
        .as("the state file records environments, never the token")
        .doesNotContain(token);
    assertThatThrownBy(() -> admin.url("console")).hasMessageContaining("[catalog, payments]");
  }

  @Test
  void withoutAStackStackAdminSaysToRunVigilUp() {
    assertThatThrownBy(() -> StackAdmin.read(stateDir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("./vigil up");
  }

  private static HttpResponse<String> get(URI base, String authorization) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(base.resolve("/admin/faults"))
            .header("Authorization", authorization)
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

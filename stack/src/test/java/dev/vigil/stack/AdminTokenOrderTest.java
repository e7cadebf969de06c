package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one order in which every admin client finds its token: given, else the local stack's file
 * (only for the local stack), else {@code VIGIL_ADMIN_TOKEN}.
 */
class AdminTokenOrderTest {

  @TempDir Path state;

  private static final Map<String, String> ENV = Map.of(StackAdmin.TOKEN_VARIABLE, "from-env");

  @Test
  void aGivenTokenWinsOverTheStacksFileAndTheEnvironment() throws Exception {
    Path file = Files.writeString(state.resolve(StackAdmin.TOKEN_FILE), "from-file\n");

    assertThat(AdminClient.token(Optional.of(" given "), Optional.of(file), ENV)).hasValue("given");
  }

  @Test
  void theLocalStacksFileWinsOverTheEnvironment() throws Exception {
    Path file = Files.writeString(state.resolve(StackAdmin.TOKEN_FILE), "from-file\n");

    assertThat(AdminClient.token(Optional.empty(), Optional.of(file), ENV)).hasValue("from-file");
  }

  @Test
  void withoutAStackFileTheEnvironmentIsUsed() {
    Path missing = state.resolve(StackAdmin.TOKEN_FILE);

    assertThat(AdminClient.token(Optional.empty(), Optional.of(missing), ENV)).hasValue("from-env");
    assertThat(AdminClient.token(Optional.empty(), Optional.empty(), ENV)).hasValue("from-env");
  }

  @Test
  void blankTokensCountAsNone() throws Exception {
    Path file = Files.writeString(state.resolve(StackAdmin.TOKEN_FILE), "  \n");

    assertThat(AdminClient.token(Optional.of(""), Optional.of(file), Map.of())).isEmpty();
  }
}

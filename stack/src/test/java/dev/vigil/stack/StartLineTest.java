package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The line the supervisor writes into a component's log before starting it. */
class StartLineTest {

  @Test
  void jqRecipesOnALogFileDoNotStopAtTheStartLine() throws Exception {
    String line =
        Supervisor.startLine(Component.CATALOG.id(), List.of("java", "-jar", "vigil.jar"));
    assertThat(line).endsWith("\n").doesNotContain("---");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.path("level").asText()).isEqualTo("INFO");
    assertThat(json.path("message").asText()).isEqualTo("starting catalog");
    assertThat(json.path("timestamp").asText()).isNotEmpty();
    assertThat(json.path("command").get(2).asText()).isEqualTo("vigil.jar");
  }
}

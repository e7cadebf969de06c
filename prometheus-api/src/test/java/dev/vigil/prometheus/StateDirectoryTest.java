package dev.vigil.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateDirectoryTest {

  @Test
  void unsetOrBlankIsDotVigilInTheWorkingDirectory() {
    Path expected = Path.of(".vigil").toAbsolutePath().normalize();

    assertThat(StateDirectory.of(Map.of())).isEqualTo(expected);
    assertThat(StateDirectory.of(Map.of("VIGIL_DATA_DIR", "  "))).isEqualTo(expected);
  }

  @Test
  void aGivenDirectoryIsMadeAbsoluteAndNormalised() {
    assertThat(StateDirectory.of(Map.of("VIGIL_DATA_DIR", "/tmp/a/../state ")))
        .isEqualTo(Path.of("/tmp/state"));
    assertThat(StateDirectory.of(Map.of("VIGIL_DATA_DIR", "state")))
        .isEqualTo(Path.of("state").toAbsolutePath());
  }
}

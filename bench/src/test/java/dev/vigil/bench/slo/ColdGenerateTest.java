package dev.vigil.bench.slo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link ColdGenerate} times {@code slo generate} as the launcher starts it. */
class ColdGenerateTest {

  private static final Path ROOT =
      Path.of(System.getProperty("vigil.root", "..")).toAbsolutePath().normalize();

  @Test
  void theFlagsAreTheLaunchersForTheOfflineSloCommands() throws IOException {
    String launcher = Files.readString(ROOT.resolve("vigil"));
    Matcher flags = Pattern.compile("(?m)^SHORT_CLI_FLAGS=\"([^\"]*)\"$").matcher(launcher);

    assertThat(flags.find()).as("SHORT_CLI_FLAGS=\"...\" in the launcher").isTrue();
    List<String> fromLauncher = Arrays.asList(flags.group(1).trim().split("\\s+"));
    assertThat(ColdGenerate.LAUNCHER_FLAGS).isEqualTo(fromLauncher);
  }
}

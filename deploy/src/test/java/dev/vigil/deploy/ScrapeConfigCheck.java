package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.prometheus.PrometheusTool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A scrape config read by VictoriaMetrics' own parser: {@code vmagent} or {@code victoria-metrics}
 * with {@code -promscrape.config.dryRun}, which exits non-zero on a field it does not know (unless
 * told {@code -promscrape.config.strictParse=false}) or a config it cannot use.
 */
final class ScrapeConfigCheck {

  private ScrapeConfigCheck() {}

  /**
   * Fails the test, with the tool's output, unless the tool accepts the config.
   *
   * @param tool {@link PrometheusTool#VMAGENT} or {@link PrometheusTool#VICTORIA_METRICS}
   * @param work a scratch directory to run it in
   * @param config the scrape config file
   * @param flags further flags, e.g. {@code -promscrape.config.strictParse=false}
   * @throws IOException when the tool cannot run
   */
  static void assertAccepted(PrometheusTool tool, Path work, Path config, String... flags)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("-promscrape.config=" + config));
    args.addAll(List.of(flags));
    args.addAll(List.of("-promscrape.config.dryRun", "-loggerLevel=ERROR"));
    PrometheusTool.Result result = tool.run(work, args.toArray(String[]::new));
    assertThat(result.exitCode())
        .as("%s -promscrape.config.dryRun on %s said:%n%s", tool.name(), config, result.output())
        .isZero();
  }
}

package dev.vigil.slo.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.prometheus.PromDuration;
import org.junit.jupiter.api.Test;

/**
 * The PromQL an events SLI becomes, written by hand from the rules the spec format documents: every
 * query is summed to one series unless it already is one {@code sum(...)} as a whole (a per-replica
 * ratio would compare one replica's bad events with another's total), bad events are total minus
 * good when only good is given (no good series yet counts as every event bad), and the error ratio
 * counts no bad series as 0 bad events. {@code RecordedSliTruthTest} evaluates them in promtool.
 */
class EventsSliQueriesTest {

  private static final PromDuration FIVE_MINUTES = PromDuration.parse("5m");

  @Test
  void aQueryThatIsOneSumAsAWholeIsKeptAnythingElseIsSummed() {
    assertThat(total("sum(rate(x[{{window}}]))")).isEqualTo("sum(rate(x[5m]))");
    assertThat(total("  sum(rate(x[{{window}}]))\n")).isEqualTo("sum(rate(x[5m]))");
    assertThat(total("rate(x[{{window}}])")).isEqualTo("sum(rate(x[5m]))");
    assertThat(total("sum(rate(x[{{window}}])) by (pod)"))
        .isEqualTo("sum(sum(rate(x[5m])) by (pod))");
    assertThat(total("sum(rate(a[{{window}}])) + sum(rate(b[{{window}}]))"))
        .isEqualTo("sum(sum(rate(a[5m])) + sum(rate(b[5m])))");
  }

  @Test
  void parenthesesInsideLabelValuesDoNotEndTheSum() {
    String quotedParen = "sum(rate(x{path=\"/a)\"}[{{window}}]))";
    String escapedQuote = "sum(rate(x{path=\"/a\\\")\"}[{{window}}]))";
    String escapedQuoteThenParen = "sum(rate(x{path=\"\\\"\"}[{{window}}])) or (rate(y[1m]))";

    assertThat(total(quotedParen)).isEqualTo("sum(rate(x{path=\"/a)\"}[5m]))");
    assertThat(total(escapedQuote)).isEqualTo("sum(rate(x{path=\"/a\\\")\"}[5m]))");
    assertThat(total(escapedQuoteThenParen))
        .isEqualTo("sum(sum(rate(x{path=\"\\\"\"}[5m])) or (rate(y[1m])))");
  }

  @Test
  void aSumThatNeverClosesIsSummedAgainForPromtoolToReportNotACrash() {
    // a spec with a typo reaches `vigil slo validate`, whose promtool check names the syntax error
    assertThat(total("sum(rate(x[{{window}}])")).isEqualTo("sum(sum(rate(x[5m]))");
  }

  @Test
  void withOnlyGoodEventsBadIsTotalMinusGoodAndNoGoodSeriesMeansAllBad() {
    Sli.Events sli = new Sli.Events(null, "rate(ok[{{window}}])", "rate(all[{{window}}])");

    assertThat(sli.badQuery(FIVE_MINUTES))
        .isEqualTo("(sum(rate(all[5m]))) - ((sum(rate(ok[5m]))) or vector(0))");
  }

  @Test
  void theErrorRatioCountsNoBadSeriesAsNoBadEvents() {
    Sli.Events sli = new Sli.Events("rate(bad[{{window}}])", null, "rate(all[{{window}}])");

    assertThat(sli.errorRatioQuery(FIVE_MINUTES))
        .isEqualTo("(sum(rate(bad[5m])) or vector(0))\n/\nsum(rate(all[5m]))\n");
  }

  private static String total(String query) {
    return new Sli.Events(query, null, query).totalQuery(FIVE_MINUTES);
  }
}

package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The port plans: every listener of a stack on its own port. */
class StackPortsTest {

  private static List<Integer> all(StackPorts p) {
    List<Integer> ports =
        new ArrayList<>(
            List.of(
                p.catalog(),
                p.payments(),
                p.prometheus(),
                p.alertmanager(),
                p.receiver(),
                p.nodeExporter(),
                p.blackboxExporter(),
                p.traceBackend(),
                p.console(),
                p.catalogAdmin(),
                p.paymentsAdmin()));
    ports.addAll(p.more().values());
    return ports;
  }

  @Test
  void theHaPlanGivesEveryReplicaItsOwnPortAndKeepsThePrometheusApiWhereReportsLook() {
    StackPorts ha = StackPorts.haDefaults();

    assertThat(all(ha)).doesNotHaveDuplicates().hasSize(11 + StackPorts.HA_NAMES.size());
    assertThat(ha.more().keySet()).containsExactlyInAnyOrderElementsOf(StackPorts.HA_NAMES);
    assertThat(ha.prometheus())
        .as("vigil slo report's default --prometheus is http://127.0.0.1:9090")
        .isEqualTo(9090);
    assertThat(ha.of(new Replica(Component.CATALOG, 2, 2))).isEqualTo(8003);
    assertThat(ha.of(Component.CATALOG)).as("clients reach HAProxy").isEqualTo(8000);
    assertThat(ha.of(new Replica(Component.ALERTMANAGER, 1, 2))).isEqualTo(9093);
    assertThat(ha.catalogAdmin(new Replica(Component.CATALOG, 2, 2))).isEqualTo(8012);
  }

  @Test
  void randomHaPortsAreDistinctAndASingleNodePlanNamesTheHaOnlyPortsItLacks() {
    assertThat(all(StackPorts.random(StackPorts.HA_NAMES))).doesNotHaveDuplicates();
    StackPorts single = StackPorts.random();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> single.more("vmagent-1"))
        .hasMessageContaining("vmagent-1")
        .hasMessageContaining("--profile ha");
  }
}

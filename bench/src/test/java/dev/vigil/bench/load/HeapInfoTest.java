package dev.vigil.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The live heap read from {@code jcmd GC.heap_info}, whatever the collector (JDK 25's output). */
class HeapInfoTest {

  @Test
  void theSerialCollectorsYoungAndOldGenerationsAreAddedUp() {
    String serial =
        """
        12345:
        DefNew     total 39296K, used 1673K [0x00000000f8000000, 0x00000000faaa0000, 0x00000000faaa0000)
         eden space 34944K,   4% used [0x00000000f8000000, 0x00000000fa0e2710, 0x00000000fa220000)
         from space 4352K,   0% used [0x00000000fa220000, 0x00000000fa220000, 0x00000000fa660000)
         to   space 4352K,   0% used [0x00000000fa660000, 0x00000000fa660000, 0x00000000faaa0000)
        Tenured    total 87424K, used 21084K [0x00000000faaa0000, 0x0000000100000000, 0x0000000100000000)
         the  space 87424K,  24% used [0x00000000faaa0000, 0x00000000fabaf298, 0x0000000100000000)
        """;

    assertThat(ServiceUnderTest.heapUsedKib(serial)).isEqualTo(1673 + 21084);
  }

  @Test
  void g1ReportsOneHeap() {
    String g1 =
        """
        12345:
        garbage-first heap   total reserved 131072K, committed 131072K, used 23562K [0x00000000f8000000, 0x0000000100000000)
         region size 1024K, 21 young (21504K), 2 survivors (2048K)
         Metaspace       used 45678K, committed 46000K, reserved 1114112K
          class space    used 5678K, committed 6000K, reserved 1048576K
        """;

    assertThat(ServiceUnderTest.heapUsedKib(g1)).isEqualTo(23562);
  }
}

package dev.skiff.kubelet.prober;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProbeCounterTest {
  @Test
  void verdictFlipsOnlyAfterThresholdResultsInARow() {
    ProbeCounter c = new ProbeCounter(2, 3, false);
    assertEquals(false, c.record(true));
    assertEquals(true, c.record(true));
    assertEquals(true, c.record(false));
    assertEquals(true, c.record(false));
    assertEquals(true, c.record(true));
    assertEquals(true, c.record(false));
    assertEquals(true, c.record(false));
    assertEquals(false, c.record(false));
  }
}

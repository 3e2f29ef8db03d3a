package dev.skiff.controllers.nodeipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CidrSetTest {
  @Test
  void handsOutSubnetsInOrderAndSkipsTakenOnes() {
    CidrSet set = new CidrSet("10.42.0.0/16", 24);
    assertTrue(set.occupy("10.42.1.0/24"));
    assertEquals(Optional.of("10.42.0.0/24"), set.allocateNext());
    assertEquals(Optional.of("10.42.2.0/24"), set.allocateNext());
  }

  @Test
  void aReleasedSubnetIsFreeAgainAndAFullSetRefuses() {
    CidrSet set = new CidrSet("192.168.0.0/23", 24);
    assertEquals(Optional.of("192.168.0.0/24"), set.allocateNext());
    assertEquals(Optional.of("192.168.1.0/24"), set.allocateNext());
    assertEquals(Optional.empty(), set.allocateNext());
    set.release("192.168.0.0/24");
    assertFalse(set.isTaken("192.168.0.0/24"));
    assertEquals(Optional.of("192.168.0.0/24"), set.allocateNext());
  }

  @Test
  void subnetsOutsideTheClusterCidrAreNotOurs() {
    CidrSet set = new CidrSet("10.42.0.0/16", 24);
    assertFalse(set.occupy("10.43.0.0/24"));
    assertFalse(set.occupy("10.42.0.0/25"));
    assertThrows(IllegalArgumentException.class, () -> new CidrSet("10.42.0.0/16", 8));
    assertThrows(IllegalArgumentException.class, () -> new CidrSet("fd00::/48", 64));
  }
}

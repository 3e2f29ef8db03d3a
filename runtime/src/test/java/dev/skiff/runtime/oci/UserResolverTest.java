package dev.skiff.runtime.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.skiff.runtime.ContainerRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserResolverTest {
  static final String PASSWD =
      "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\napp:x:1000:1001::/home/app:/bin/sh\n";
  static final String GROUP = "root:x:0:\nnobody:x:65534:\nappgrp:x:1001:\nwheel:x:10:app,other\n";

  @Test
  void emptyIsRoot() {
    assertEquals(
        new ResolvedUser(0, 0, List.of(0L)),
        UserResolver.resolve("", null, null, null, PASSWD, GROUP));
  }

  @Test
  void namesResolveThroughPasswdAndGroupMembership() {
    assertEquals(
        new ResolvedUser(1000, 1001, List.of(1001L, 10L)),
        UserResolver.resolve("app", null, null, null, PASSWD, GROUP));
    assertEquals(
        new ResolvedUser(65534, 10, List.of(10L)),
        UserResolver.resolve("nobody:wheel", null, null, null, PASSWD, GROUP));
  }

  @Test
  void numericUidNeedNotExist() {
    assertEquals(
        new ResolvedUser(4242, 7, List.of(7L)),
        UserResolver.resolve("4242:7", null, null, null, PASSWD, GROUP));
  }

  @Test
  void runAsUserAndGroupOverrideTheImage() {
    assertEquals(
        new ResolvedUser(1000, 5, List.of(5L, 10L, 3000L)),
        UserResolver.resolve("nobody", 1000L, 5L, List.of(3000L), PASSWD, GROUP));
  }

  @Test
  void unknownNameIsAClearError() {
    var e =
        assertThrows(
            ContainerRuntimeException.class,
            () -> UserResolver.resolve("ghost", null, null, null, PASSWD, GROUP));
    assertEquals("unable to find user ghost: no matching entries in passwd file", e.getMessage());
  }
}

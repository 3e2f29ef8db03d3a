package dev.skiff.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.cli.UserError;
import org.junit.jupiter.api.Test;

class JoinTokenTest {
  private static final String HASH = "ab".repeat(32);

  @Test
  void tokenOfSkiffTokenCreateCarriesItsCaHash() {
    JoinToken t = JoinToken.parse("K10" + HASH + "::abc123.0123456789abcdef", null);
    assertEquals("abc123", t.id());
    assertEquals("abc123.0123456789abcdef", t.bearer());
    assertEquals(HASH, t.caHash());
  }

  @Test
  void bareTokenNeedsTheHashApart() {
    UserError e =
        assertThrows(UserError.class, () -> JoinToken.parse("abc123.0123456789abcdef", null));
    assertTrue(e.getMessage().contains("--ca-cert-hash"), e.getMessage());
    assertEquals(
        HASH, JoinToken.parse("abc123.0123456789abcdef", "sha256:" + HASH.toUpperCase()).caHash());
  }

  @Test
  void disagreeingHashesAndMalformedTokensAreRefused() {
    String other = "cd".repeat(32);
    UserError e =
        assertThrows(
            UserError.class,
            () -> JoinToken.parse("K10" + HASH + "::abc123.0123456789abcdef", "sha256:" + other));
    assertTrue(e.getMessage().contains("disagrees"), e.getMessage());
    assertThrows(UserError.class, () -> JoinToken.parse("K10" + HASH + "::short.secret", null));
    assertThrows(UserError.class, () -> JoinToken.parse("abc123.0123456789abcdef", "md5:00"));
  }
}

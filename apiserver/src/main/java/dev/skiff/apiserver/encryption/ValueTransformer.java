package dev.skiff.apiserver.encryption;

import dev.skiff.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns stored values into plaintext and back as upstream's envelope-free providers do: a value
 * encrypted by {@code aesgcm} key {@code k} is {@code k8s:enc:aesgcm:v1:k:} + 12-byte nonce +
 * ciphertext and tag, with the storage key as additional data; {@code aescbc} is {@code
 * k8s:enc:aescbc:v1:k:} + 16-byte IV + PKCS#7-padded ciphertext; identity leaves values as they are
 * and is the only provider that reads unprefixed values.
 */
public final class ValueTransformer {
  private static final String PREFIX = "k8s:enc:";
  private static final int GCM_NONCE = 12;
  private static final int GCM_TAG_BITS = 128;
  private static final int CBC_IV = 16;

  private final EncryptionConfiguration config;
  private final SecureRandom random = new SecureRandom();

  public ValueTransformer(EncryptionConfiguration config) {
    this.config = config;
  }

  public EncryptionConfiguration config() {
    return config;
  }

  /** A stored value read back: the plaintext, and whether the primary provider wrote it. */
  public record Read(byte[] plaintext, boolean current) {}

  /**
   * The value to store for {@code plaintext} under {@code storageKey}, with the primary provider.
   */
  public byte[] encrypt(String storageKey, byte[] plaintext) {
    EncryptionConfiguration.Provider primary = config.providers().getFirst();
    if (primary.type().equals("identity")) {
      return plaintext;
    }
    EncryptionConfiguration.Key key = primary.keys().getFirst();
    byte[] prefix =
        (PREFIX + primary.type() + ":v1:" + key.name() + ":").getBytes(StandardCharsets.UTF_8);
    try {
      SecretKeySpec spec = new SecretKeySpec(key.secret(), "AES");
      byte[] iv;
      byte[] sealed;
      if (primary.type().equals("aesgcm")) {
        iv = new byte[GCM_NONCE];
        random.nextBytes(iv);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, spec, new GCMParameterSpec(GCM_TAG_BITS, iv));
        c.updateAAD(storageKey.getBytes(StandardCharsets.UTF_8));
        sealed = c.doFinal(plaintext);
      } else {
        iv = new byte[CBC_IV];
        random.nextBytes(iv);
        Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
        c.init(Cipher.ENCRYPT_MODE, spec, new IvParameterSpec(iv));
        sealed = c.doFinal(plaintext);
      }
      byte[] out = new byte[prefix.length + iv.length + sealed.length];
      System.arraycopy(prefix, 0, out, 0, prefix.length);
      System.arraycopy(iv, 0, out, prefix.length, iv.length);
      System.arraycopy(sealed, 0, out, prefix.length + iv.length, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new StorageException("cannot encrypt " + storageKey + ": " + e.getMessage());
    }
  }

  /**
   * The plaintext of a stored value.
   *
   * @throws StorageException when no configured provider can read it
   */
  public Read decrypt(String storageKey, byte[] stored) {
    String head = new String(stored, 0, Math.min(stored.length, 256), StandardCharsets.ISO_8859_1);
    if (!head.startsWith(PREFIX)) {
      for (EncryptionConfiguration.Provider p : config.providers()) {
        if (p.type().equals("identity")) {
          return new Read(stored, config.providers().getFirst() == p);
        }
      }
      throw new StorageException(
          storageKey + " is not encrypted and no identity provider is configured to read it");
    }
    String[] parts = head.split(":", 6);
    if (parts.length < 6) {
      throw new StorageException(storageKey + ": malformed encrypted value");
    }
    String type = parts[2];
    String keyName = parts[4];
    int offset = (PREFIX + type + ":" + parts[3] + ":" + keyName + ":").length();
    for (EncryptionConfiguration.Provider p : config.providers()) {
      if (!p.type().equals(type)) {
        continue;
      }
      for (EncryptionConfiguration.Key k : p.keys()) {
        if (k.name().equals(keyName)) {
          boolean current = config.providers().getFirst() == p && p.keys().getFirst() == k;
          return new Read(open(storageKey, type, k, stored, offset), current);
        }
      }
    }
    throw new StorageException(
        storageKey
            + " is encrypted with "
            + type
            + " key "
            + keyName
            + ", which is not configured");
  }

  private static byte[] open(
      String storageKey, String type, EncryptionConfiguration.Key key, byte[] stored, int offset) {
    try {
      SecretKeySpec spec = new SecretKeySpec(key.secret(), "AES");
      if (type.equals("aesgcm")) {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(
            Cipher.DECRYPT_MODE,
            spec,
            new GCMParameterSpec(
                GCM_TAG_BITS, Arrays.copyOfRange(stored, offset, offset + GCM_NONCE)));
        c.updateAAD(storageKey.getBytes(StandardCharsets.UTF_8));
        return c.doFinal(stored, offset + GCM_NONCE, stored.length - offset - GCM_NONCE);
      }
      Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
      c.init(
          Cipher.DECRYPT_MODE,
          spec,
          new IvParameterSpec(Arrays.copyOfRange(stored, offset, offset + CBC_IV)));
      return c.doFinal(stored, offset + CBC_IV, stored.length - offset - CBC_IV);
    } catch (GeneralSecurityException | ArrayIndexOutOfBoundsException e) {
      throw new StorageException(
          "cannot decrypt " + storageKey + " with " + type + " key " + key.name() + ": " + e);
    }
  }
}

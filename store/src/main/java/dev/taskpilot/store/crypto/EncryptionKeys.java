package dev.taskpilot.store.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys that encrypt secrets at rest and workflow payloads (AES-GCM, a random 96-bit
 * nonce per value, associated data that binds a ciphertext to where it belongs). New values are
 * sealed with the current key; values sealed with an older key still open while that key is listed
 * among the previous ones, so a key can be rotated. A key is named by its id, the first 8 bytes of
 * its SHA-256 in hex, which every ciphertext carries.
 */
public final class EncryptionKeys {
  /** A key's length: AES-256. */
  public static final int KEY_BYTES = 32;

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A ciphertext: the id of the key that sealed it and the nonce followed by the sealed bytes. */
  public record Sealed(String keyId, byte[] bytes) {}

  private final String currentId;
  private final Map<String, SecretKey> keys;

  private EncryptionKeys(String currentId, Map<String, SecretKey> keys) {
    this.currentId = currentId;
    this.keys = keys;
  }

  /** The current key and the previous ones (decrypting only), each {@value #KEY_BYTES} bytes. */
  public static EncryptionKeys of(byte[] current, List<byte[]> previous) {
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    String currentId = add(keys, current);
    previous.forEach(key -> add(keys, key));
    return new EncryptionKeys(currentId, Map.copyOf(keys));
  }

  private static String add(Map<String, SecretKey> keys, byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "an encryption key must be " + KEY_BYTES + " bytes, not " + key.length);
    }
    String id = keyId(key);
    keys.putIfAbsent(id, new SecretKeySpec(key, "AES"));
    return id;
  }

  /**
   * A key from its base64 text (standard or URL-safe alphabet, surrounding white space ignored).
   *
   * @param what where the text came from, for the message when it is no key
   */
  public static byte[] parse(String text, String what) {
    String trimmed = text.strip();
    byte[] key;
    try {
      key =
          trimmed.indexOf('-') >= 0 || trimmed.indexOf('_') >= 0
              ? Base64.getUrlDecoder().decode(trimmed)
              : Base64.getDecoder().decode(trimmed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not base64: " + e.getMessage());
    }
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          what
              + " must be "
              + KEY_BYTES
              + " bytes in base64 (e.g. `head -c 32 /dev/urandom | base64`), not "
              + key.length
              + " bytes");
    }
    return key;
  }

  /** A new random key as base64 text. */
  public static String generate() {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** The id of a key: the first 8 bytes of its SHA-256, in hex. */
  public static String keyId(byte[] key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The id of the key new values are sealed with. */
  public String currentKeyId() {
    return currentId;
  }

  /** Whether a key of this id is known (current or previous). */
  public boolean knows(String keyId) {
    return keys.containsKey(keyId);
  }

  /** Seals the bytes with the current key and a fresh nonce, bound to the associated data. */
  public Sealed seal(byte[] plaintext, byte[] associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData);
      byte[] sealed = cipher.doFinal(plaintext);
      return new Sealed(
          currentId,
          ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  /**
   * Opens what {@link #seal} made with the same associated data.
   *
   * @throws DecryptionException when the key is unknown, or the bytes or the associated data are
   *     not what was sealed
   */
  public byte[] open(Sealed sealed, byte[] associatedData) {
    SecretKey key =
        Optional.ofNullable(keys.get(sealed.keyId()))
            .orElseThrow(
                () ->
                    new DecryptionException(
                        "sealed with key "
                            + sealed.keyId()
                            + ", which is neither taskpilot.encryption.key nor one of"
                            + " taskpilot.encryption.previous-keys"));
    byte[] bytes = sealed.bytes();
    if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new DecryptionException("too short to be a ciphertext");
    }
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(
          Cipher.DECRYPT_MODE,
          key,
          new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(bytes, 0, NONCE_BYTES)));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new DecryptionException("altered, or moved from where it was sealed");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "EncryptionKeys[current=" + currentId + ", known=" + keys.keySet() + "]";
  }
}

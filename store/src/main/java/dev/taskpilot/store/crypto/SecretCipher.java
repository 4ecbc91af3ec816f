package dev.taskpilot.store.crypto;

import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How a secret is kept in a text column: {@code v1:<key id>:<base64 of nonce and AES-GCM
 * ciphertext>}, sealed for its place (table, owning row, name) as associated data, so that a value
 * copied into another row or table does not open. Rows from before encryption were marked {@code
 * plain:} by migration V10 and are read as they are until re-encrypted; a value with neither prefix
 * (written by an older process during an upgrade) is read as plain text too.
 */
@Singleton
public class SecretCipher {
  static final String VERSION = "v1:";
  static final String LEGACY = "plain:";
  private static final String CONTEXT = "taskpilot/secret/v1";

  private final EncryptionKeys keys;

  public SecretCipher(EncryptionKeys keys) {
    this.keys = keys;
  }

  /** The stored text of a secret, for the place it is kept in. */
  public String seal(String value, String table, String owner, String name) {
    EncryptionKeys.Sealed sealed =
        keys.seal(value.getBytes(StandardCharsets.UTF_8), place(table, owner, name));
    return VERSION
        + sealed.keyId()
        + ":"
        + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed.bytes());
  }

  /**
   * The secret a stored text holds; it must have been sealed for this place.
   *
   * @throws DecryptionException when it cannot be opened
   */
  public String open(String stored, String table, String owner, String name) {
    if (stored.startsWith(LEGACY)) {
      return stored.substring(LEGACY.length());
    }
    if (!stored.startsWith(VERSION)) {
      return stored;
    }
    int colon = stored.indexOf(':', VERSION.length());
    if (colon < 0) {
      throw new DecryptionException("the secret " + name + " of " + owner + " is malformed");
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(stored.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      throw new DecryptionException("the secret " + name + " of " + owner + " is malformed");
    }
    try {
      byte[] plain =
          keys.open(
              new EncryptionKeys.Sealed(stored.substring(VERSION.length(), colon), bytes),
              place(table, owner, name));
      return new String(plain, StandardCharsets.UTF_8);
    } catch (DecryptionException e) {
      throw new DecryptionException(
          "the secret " + name + " of " + owner + " cannot be decrypted: " + e.getMessage());
    }
  }

  /** The prefix of values sealed with the current key: anything else is re-encrypted. */
  public String currentPrefix() {
    return VERSION + keys.currentKeyId() + ":";
  }

  private static byte[] place(String table, String owner, String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String part : new String[] {CONTEXT, table, owner, name}) {
      out.writeBytes(part.getBytes(StandardCharsets.UTF_8));
      out.write(0);
    }
    return out.toByteArray();
  }
}

package dev.taskpilot.store.crypto;

/** A ciphertext that cannot be opened: unknown key, altered bytes, or sealed for another place. */
public class DecryptionException extends RuntimeException {
  public DecryptionException(String message) {
    super(message);
  }
}

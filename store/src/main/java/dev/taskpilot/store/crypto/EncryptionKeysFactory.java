package dev.taskpilot.store.crypto;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The encryption keys from {@code taskpilot.encryption.key} (base64) or {@code
 * taskpilot.encryption.key-file} (a file holding it), plus {@code
 * taskpilot.encryption.previous-keys} for values sealed before a rotation.
 */
@Factory
class EncryptionKeysFactory {
  static final String MISSING =
      "no encryption key: set taskpilot.encryption.key (TASKPILOT_ENCRYPTION_KEY, 32 bytes in"
          + " base64, e.g. `head -c 32 /dev/urandom | base64`) or taskpilot.encryption.key-file"
          + " (TASKPILOT_ENCRYPTION_KEY_FILE, a file holding it). Task secrets and workflow"
          + " payloads are encrypted with it; every api and worker process of one installation"
          + " needs the same key, and `taskpilot dev` makes one in its data directory.";

  @Singleton
  EncryptionKeys encryptionKeys(
      @Nullable @Value("${taskpilot.encryption.key:}") String key,
      @Nullable @Value("${taskpilot.encryption.key-file:}") String keyFile,
      @Nullable @Value("${taskpilot.encryption.previous-keys:}") List<String> previousKeys) {
    return load(key, keyFile, previousKeys == null ? List.of() : previousKeys);
  }

  static EncryptionKeys load(
      @Nullable String key, @Nullable String keyFile, List<String> previousKeys) {
    boolean hasKey = key != null && !key.isBlank();
    boolean hasFile = keyFile != null && !keyFile.isBlank();
    if (hasKey && hasFile) {
      throw new IllegalStateException(
          "set taskpilot.encryption.key or taskpilot.encryption.key-file, not both");
    }
    if (!hasKey && !hasFile) {
      throw new IllegalStateException(MISSING);
    }
    byte[] current =
        hasKey
            ? EncryptionKeys.parse(key, "taskpilot.encryption.key")
            : EncryptionKeys.parse(read(Path.of(keyFile)), "the key in " + keyFile);
    List<byte[]> previous = new ArrayList<>();
    for (String text : previousKeys) {
      if (!text.isBlank()) {
        previous.add(EncryptionKeys.parse(text, "an entry of taskpilot.encryption.previous-keys"));
      }
    }
    return EncryptionKeys.of(current, previous);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "taskpilot.encryption.key-file " + file + " cannot be read: " + e.getMessage(), e);
    }
  }
}

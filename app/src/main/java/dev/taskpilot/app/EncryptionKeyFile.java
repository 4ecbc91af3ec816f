package dev.taskpilot.app;

import dev.taskpilot.store.crypto.EncryptionKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dev's encryption key: made on the first start in {@code <data-dir>/encryption-key} (mode 0600)
 * and used from then on, unless a key is configured. Deleting it makes the stored secrets and the
 * payloads of workflows that still run unreadable.
 */
final class EncryptionKeyFile {
  static final String NAME = "encryption-key";
  private static final Logger log = LoggerFactory.getLogger(EncryptionKeyFile.class);

  private EncryptionKeyFile() {}

  /** Whether {@code taskpilot.encryption.key} or {@code .key-file} is set. */
  static boolean configured(io.micronaut.core.value.PropertyResolver configuration) {
    return !configuration.getProperty("taskpilot.encryption.key", String.class, "").isBlank()
        || !configuration.getProperty("taskpilot.encryption.key-file", String.class, "").isBlank();
  }

  /** The key file in the data directory, made with a new random key if there is none. */
  static Path ensure(Path dataDir) {
    Path file = dataDir.resolve(NAME).toAbsolutePath();
    if (Files.exists(file)) {
      return file;
    }
    try {
      Files.createDirectories(file.getParent());
      Path temporary =
          Files.createTempFile(
              file.getParent(),
              "." + NAME + "-",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(temporary, EncryptionKeys.generate() + "\n", StandardCharsets.US_ASCII);
        // A link, not a move: it never replaces a key another process made meanwhile.
        Files.createLink(file, temporary);
        log.info("new encryption key written to {} (mode 0600)", file);
      } catch (FileAlreadyExistsException e) {
        // Made by another process: that one is used.
      } finally {
        Files.deleteIfExists(temporary);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the encryption key to " + file, e);
    }
  }
}

package dev.taskpilot.store.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded cluster's superuser password: 32 random bytes, in a file only its owner reads. */
final class DatabasePassword {
  private static final Logger log = LoggerFactory.getLogger(DatabasePassword.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private DatabasePassword() {}

  /** A new password, URL-safe Base64 (43 characters, nothing that needs quoting). */
  static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The password kept in {@code file}; empty when there is none. Tightens loose permissions. */
  static Optional<String> read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    if (!OWNER_ONLY.containsAll(permissions)) {
      log.warn("{} was readable by others; its mode is now 0600", file);
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
    return Optional.of(text);
  }

  /** Generates a password and keeps it in {@code file} (mode 0600, written atomically). */
  static String create(Path file) throws IOException {
    String password = generate();
    Path temporary =
        Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp", ownerOnly());
    try {
      Files.writeString(temporary, password + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
    return password;
  }

  /** A temporary file (mode 0600) holding {@code password}, for initdb; delete it after. */
  static Path createTemporary(String password) throws IOException {
    Path file = Files.createTempFile("taskpilot-pg-", ".pw", ownerOnly());
    Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
    return file;
  }

  private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
    return PosixFilePermissions.asFileAttribute(OWNER_ONLY);
  }
}

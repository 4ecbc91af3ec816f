package dev.taskpilot.app;

import dev.taskpilot.api.auth.ApiTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dev's bootstrap admin token: made on the first start (when the database has no API token at all)
 * and written to {@code <data-dir>/admin-token}, mode 0600. The log names the file, never the
 * token.
 */
final class AdminTokenFile {
  static final String NAME = "admin-token";
  private static final Logger log = LoggerFactory.getLogger(AdminTokenFile.class);

  private AdminTokenFile() {}

  /** Makes and writes the bootstrap token when no token exists yet; says where the token is. */
  static void ensure(ApiTokens tokens, Path dataDir) {
    Path file = dataDir.resolve(NAME);
    if (tokens.createBootstrapAdmin(issued -> write(file, issued.secret())).isPresent()) {
      log.info(
          "bootstrap admin API token written to {} (mode 0600); send it as"
              + " -H \"Authorization: Bearer $(cat {})\"",
          file,
          file);
    } else if (Files.isRegularFile(file)) {
      log.info("admin API token in {}", file);
    } else {
      log.info(
          "API tokens exist and {} does not: make a token with"
              + " `taskpilot token create --owner NAME --role admin`",
          file);
    }
  }

  /** Writes the token atomically into a file only its user can read. */
  static void write(Path file, String token) {
    try {
      Path directory = file.toAbsolutePath().getParent();
      Files.createDirectories(directory);
      Path temporary =
          Files.createTempFile(
              directory,
              "." + NAME + "-",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(temporary, token + "\n", StandardCharsets.UTF_8);
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the admin token to " + file, e);
    }
  }
}

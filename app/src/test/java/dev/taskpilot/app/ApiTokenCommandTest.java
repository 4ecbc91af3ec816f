package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.taskpilot.api.auth.ApiTokens;
import dev.taskpilot.store.testing.TestDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * dev's bootstrap admin token and the {@code taskpilot token create|list|revoke} commands, against
 * a running dev on a configured database and on its own embedded one.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ApiTokenCommandTest {
  private static final String TOKEN = "tp_[A-Za-z0-9_-]{43}";

  /** What one run of the command line printed and answered. */
  record Run(int exit, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }

    /** The token a create printed on its last line. */
    String token() {
      List<String> lines = lines();
      return lines.getLast();
    }
  }

  private static Run taskpilot(Map<String, ?> configuration, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new Taskpilot(new HashMap<>(configuration)));
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exit = command.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static int status(RunningTaskpilot dev, String token) {
    HttpRequest request =
        TestHttp.request(dev.uri("/api/v1/tasks"))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    return dev.sendAnonymous(request).statusCode();
  }

  @Test
  void shouldWriteTheBootstrapAdminTokenOnceAndNeverLogIt() throws IOException {
    // given
    Path dataDir = Files.createTempDirectory("taskpilot-tokens-");
    Map<String, String> database = TestDatabase.freshDatasourceProperties();
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    log.start();
    root.addAppender(log);
    String first;
    String again;
    try {
      // when: the first start, then a second one on the same database and data directory
      try (RunningTaskpilot dev = RunningTaskpilot.dev(0, dataDir, database)) {
        first = dev.adminToken();
        assertThat(status(dev, first)).isEqualTo(200);
        assertThat(dev.sendAnonymous(TestHttp.request(dev.uri("/api/v1/tasks")).GET().build()))
            .extracting(HttpResponse::statusCode)
            .isEqualTo(401);
      }
      try (RunningTaskpilot dev = RunningTaskpilot.dev(0, dataDir, database)) {
        again = dev.adminToken();
        assertThat(dev.runtime().context().getBean(ApiTokens.class).list()).hasSize(1);
      }
    } finally {
      root.detachAppender(log);
    }
    // then
    Path file = dataDir.resolve("admin-token");
    assertThat(first).matches(TOKEN);
    assertThat(again).isEqualTo(first);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(log.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anyMatch(line -> line.contains(file.toString()))
        .noneMatch(line -> line.contains(first));
  }

  @Test
  void shouldNotMakeABootstrapTokenAgainWhenTheFirstWasRevoked() throws IOException {
    // given: a dev whose bootstrap token was revoked and its file removed
    Path dataDir = Files.createTempDirectory("taskpilot-tokens-");
    Map<String, String> database = TestDatabase.freshDatasourceProperties();
    try (RunningTaskpilot dev = RunningTaskpilot.dev(0, dataDir, database)) {
      ApiTokens tokens = dev.runtime().context().getBean(ApiTokens.class);
      assertThat(tokens.revoke(tokens.list().getFirst().id())).isTrue();
    }
    Files.delete(dataDir.resolve("admin-token"));
    // when
    try (RunningTaskpilot dev = RunningTaskpilot.dev(0, dataDir, database)) {
      // then
      assertThat(dataDir.resolve("admin-token")).doesNotExist();
      assertThat(dev.runtime().context().getBean(ApiTokens.class).list()).hasSize(1);
    }
  }

  @Test
  void shouldCreateListAndRevokeTokensWhenADatabaseIsConfigured() throws IOException {
    // given
    Map<String, String> database = TestDatabase.freshDatasourceProperties();
    try (RunningTaskpilot dev =
        RunningTaskpilot.dev(0, Files.createTempDirectory("taskpilot-tokens-"), database)) {
      // when
      Run created =
          taskpilot(
              database,
              "token",
              "create",
              "--owner",
              "carol",
              "--role",
              "operator",
              "--expires",
              "P30D");
      Run listed = taskpilot(database, "token", "list");
      // then
      assertThat(created.exit()).as(created.err()).isZero();
      String token = created.token();
      assertThat(token).matches(TOKEN);
      assertThat(created.lines().getFirst()).contains("for owner carol, role operator, expires");
      assertThat(status(dev, token)).isEqualTo(200);
      String id = created.lines().getFirst().split(" ")[1];
      assertThat(id).startsWith("tok_");
      assertThat(listed.exit()).isZero();
      assertThat(listed.out())
          .contains(id)
          .contains("carol")
          .contains("operator")
          .contains("active")
          .doesNotContain(token);
      assertThat(listed.lines()).hasSize(3); // header, the bootstrap token, carol's

      // when
      Run revoked = taskpilot(database, "token", "revoke", id);
      Run twice = taskpilot(database, "token", "revoke", id);
      // then
      assertThat(revoked.exit()).isZero();
      assertThat(revoked.out()).contains("revoked " + id);
      assertThat(status(dev, token)).isEqualTo(401);
      assertThat(twice.exit()).isEqualTo(1);
      assertThat(taskpilot(database, "token", "list").out()).contains("revoked");
    }
  }

  @Test
  void shouldRefuseABadRoleOwnerOrExpiryWithoutTouchingTheDatabase() {
    // given: no database at all
    Map<String, String> none = Map.of("datasources.default.url", "jdbc:postgresql://127.0.0.1:1/x");
    // when
    Run role = taskpilot(none, "token", "create", "--owner", "carol", "--role", "root");
    Run owner = taskpilot(none, "token", "create", "--owner", "a b", "--role", "viewer");
    Run expiry =
        taskpilot(none, "token", "create", "--owner", "c", "--role", "viewer", "--expires", "-P1D");
    // then
    assertThat(role.exit()).isEqualTo(2);
    assertThat(role.err()).contains("role must be one of admin, operator, viewer");
    assertThat(owner.exit()).isEqualTo(2);
    assertThat(owner.err()).contains("an owner is");
    assertThat(expiry.exit()).isEqualTo(2);
    assertThat(expiry.err()).contains("--expires must be positive");
  }

  @Test
  void shouldUseDevsEmbeddedDatabaseWhenNoneIsConfigured() throws IOException {
    // given: dev on its own embedded PostgreSQL in the data directory
    Path dataDir = Files.createTempDirectory("taskpilot-tokens-");
    Map<String, String> config = Map.of("taskpilot.data-dir", dataDir.toString());
    Run made;
    try (RunningTaskpilot dev = RunningTaskpilot.dev(0, dataDir, Map.of())) {
      // when: dev runs (the command uses its server)
      made = taskpilot(config, "token", "create", "--owner", "dave", "--role", "viewer");
      // then
      assertThat(made.exit()).as(made.err()).isZero();
      assertThat(status(dev, made.token())).isEqualTo(200);
    }
    // when: dev has stopped (the command starts the server itself)
    Run listed = taskpilot(config, "token", "list");
    // then
    assertThat(listed.exit()).as(listed.err()).isZero();
    assertThat(listed.out()).contains("dave").contains("default").doesNotContain(made.token());
    assertThat(TokenCommand.runningPort(dataDir.resolve("postgres"))).isNull();
  }

  @Test
  void shouldSayWhatToDoWhenThereIsNoDatabase() throws IOException {
    // given: a data directory dev never ran in
    Path dataDir = Files.createTempDirectory("taskpilot-tokens-");
    // when
    Run listed = taskpilot(Map.of("taskpilot.data-dir", dataDir.toString()), "token", "list");
    // then
    assertThat(listed.exit()).isEqualTo(1);
    assertThat(listed.err()).contains("datasources.default.url").contains("taskpilot dev");
  }
}

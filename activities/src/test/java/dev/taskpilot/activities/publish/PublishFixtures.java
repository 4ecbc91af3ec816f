package dev.taskpilot.activities.publish;

import dev.taskpilot.store.PublicationAttemptRecord;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.store.testing.TaskRows;
import dev.taskpilot.store.testing.TestDatabase;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the publish tests share: a fresh database, task rows, direct SQL, temporary folders. */
final class PublishFixtures {
  private final Map<String, String> database = TestDatabase.freshDatasourceProperties();
  private final Path root;

  PublishFixtures() {
    try {
      root = Files.createTempDirectory("taskpilot-publish-").toRealPath();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The context's properties: the database, the directories, loopback allowed. */
  Map<String, String> properties() {
    Map<String, String> properties = new HashMap<>(database);
    properties.put("taskpilot.worker.enabled", "false");
    properties.put("taskpilot.publish.file-root", root.resolve("published").toString());
    properties.put("taskpilot.workspaces.root", root.resolve("workspaces").toString());
    properties.put("taskpilot.publish.git.local-remote-roots", remotes().toString());
    properties.put("taskpilot.public-url", "https://taskpilot.example/");
    properties.put("taskpilot.network.allowed-hosts", "127.0.0.1/32");
    return properties;
  }

  Path root() {
    return root;
  }

  Path remotes() {
    return root.resolve("remotes");
  }

  /** A new task id with its row in {@code tasks}. */
  static String task(TaskRepository tasks) {
    return TaskRows.insert(tasks, "PUBLISHING");
  }

  /** Runs one UPDATE behind the application's back, as a crash would leave the row. */
  int execute(String sql, Object... parameters) {
    try (Connection connection =
            DriverManager.getConnection(
                database.get("datasources.default.url"),
                database.get("datasources.default.username"),
                database.get("datasources.default.password"));
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** "ACTION/OUTCOME" of each attempt, oldest first. */
  static List<String> steps(List<PublicationAttemptRecord> attempts) {
    return attempts.stream().map(a -> a.action() + "/" + a.outcome()).toList();
  }

  /** The failure's {@code ApplicationFailure}, asserting it is one. */
  static ApplicationFailure applicationFailure(Throwable thrown) {
    if (thrown instanceof ApplicationFailure failure) {
      return failure;
    }
    throw new AssertionError("expected an ApplicationFailure, got " + thrown, thrown);
  }

  void delete() throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        path.toFile().setWritable(true);
        Files.deleteIfExists(path);
      }
    }
  }
}

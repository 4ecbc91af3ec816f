package dev.taskpilot.store.testing;

import dev.taskpilot.store.TaskRecord;
import dev.taskpilot.store.TaskRepository;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Task rows for tests whose rows refer to a task (output, ledgers, tokens). */
public final class TaskRows {
  private TaskRows() {}

  /** Stores a new task row in {@code status} and returns its id. */
  public static String insert(TaskRepository tasks, String status) {
    return insert(tasks, "default", "example", null, status);
  }

  /** Stores a new task row of an owner, agent and workspace in {@code status}; returns its id. */
  public static String insert(
      TaskRepository tasks, String owner, String agent, String workspace, String status) {
    String id = "task-" + UUID.randomUUID();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    tasks.save(
        new TaskRecord(
            id,
            owner,
            "title",
            "prompt",
            agent,
            workspace,
            new String[0],
            status,
            null,
            5,
            null,
            null,
            null,
            null,
            null,
            null,
            "{\"prompt\":\"p\"}",
            null,
            "hash",
            0,
            now,
            now));
    return id;
  }
}

package dev.taskpilot.store;

import dev.taskpilot.store.crypto.SecretCipher;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Optional;

/**
 * A task's secrets, encrypted at rest: each value is sealed for its task and name (see {@link
 * SecretCipher}), so a value read from the table, or moved to another row, tells nothing.
 */
@Singleton
public class TaskSecrets {
  static final String TABLE = "task_secrets";

  private final TaskSecretRepository rows;
  private final SecretCipher cipher;

  public TaskSecrets(TaskSecretRepository rows, SecretCipher cipher) {
    this.rows = rows;
    this.cipher = cipher;
  }

  /** Stores (or replaces) a secret of a task. */
  public void put(String taskId, String name, String value, Instant createdAt) {
    rows.put(taskId, name, cipher.seal(value, TABLE, taskId, name), createdAt);
  }

  /** Stores a secret unless the task has one of that name; true when stored. */
  public boolean putIfAbsent(String taskId, String name, String value, Instant createdAt) {
    return rows.putIfAbsent(taskId, name, cipher.seal(value, TABLE, taskId, name), createdAt) == 1;
  }

  /** The secret, decrypted; empty when the task has none of that name (any more). */
  public Optional<String> find(String taskId, String name) {
    return rows.find(taskId, name).map(stored -> cipher.open(stored, TABLE, taskId, name));
  }

  /** Purges a task's secrets; returns how many there were. */
  public int deleteAll(String taskId) {
    return rows.deleteAll(taskId);
  }
}

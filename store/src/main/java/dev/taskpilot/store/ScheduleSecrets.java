package dev.taskpilot.store;

import dev.taskpilot.store.crypto.SecretCipher;
import jakarta.inject.Singleton;
import java.time.Instant;

/**
 * The secrets of a schedule's task template, encrypted at rest for their schedule and name, and
 * sealed again for each task a run starts.
 */
@Singleton
public class ScheduleSecrets {
  static final String TABLE = "schedule_secrets";

  private final ScheduleSecretRepository rows;
  private final TaskSecrets taskSecrets;
  private final SecretCipher cipher;

  public ScheduleSecrets(
      ScheduleSecretRepository rows, TaskSecrets taskSecrets, SecretCipher cipher) {
    this.rows = rows;
    this.taskSecrets = taskSecrets;
    this.cipher = cipher;
  }

  /** Stores (or replaces) a secret of a schedule. */
  public void put(String scheduleId, String name, String value, Instant createdAt) {
    rows.put(scheduleId, name, cipher.seal(value, TABLE, scheduleId, name), createdAt);
  }

  /** Purges a schedule's secrets; returns how many there were. */
  public int deleteAll(String scheduleId) {
    return rows.deleteAll(scheduleId);
  }

  /**
   * Copies the schedule's secrets to a task it starts, each sealed for the task; secrets the task
   * has already are kept. Returns how many were copied.
   */
  public int copyToTask(String scheduleId, String taskId, Instant createdAt) {
    int copied = 0;
    for (ScheduleSecretRecord row : rows.findAll(scheduleId)) {
      String value = cipher.open(row.value(), TABLE, scheduleId, row.name());
      if (taskSecrets.putIfAbsent(taskId, row.name(), value, createdAt)) {
        copied++;
      }
    }
    return copied;
  }
}

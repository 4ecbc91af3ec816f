package dev.taskpilot.store;

import dev.taskpilot.store.crypto.DecryptionException;
import dev.taskpilot.store.crypto.SecretCipher;
import jakarta.inject.Singleton;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals again, with the current key, every stored secret that is not: rows from before encryption
 * (plain text) and rows sealed with a previous key. Every process runs it once at start; rows are
 * replaced by compare-and-set, so processes starting together do no harm. A row that cannot be
 * opened (its key is no longer configured) is left as it is and counted.
 */
@Singleton
public class SecretReencryption {
  private static final Logger log = LoggerFactory.getLogger(SecretReencryption.class);
  private static final int BATCH = 200;

  /** What a pass did. */
  public record Result(int reencrypted, int unreadable) {}

  private final TaskSecretRepository taskRows;
  private final ScheduleSecretRepository scheduleRows;
  private final SecretCipher cipher;

  public SecretReencryption(
      TaskSecretRepository taskRows, ScheduleSecretRepository scheduleRows, SecretCipher cipher) {
    this.taskRows = taskRows;
    this.scheduleRows = scheduleRows;
    this.cipher = cipher;
  }

  /** Re-encrypts every row of both tables not sealed with the current key. */
  public Result run() {
    String prefix = cipher.currentPrefix();
    int reencrypted = 0;
    int unreadable = 0;
    String afterId = "";
    String afterName = "";
    while (true) {
      List<TaskSecretRecord> batch = taskRows.findNotPrefixed(prefix, afterId, afterName, BATCH);
      for (TaskSecretRecord row : batch) {
        try {
          String value = cipher.open(row.value(), TaskSecrets.TABLE, row.taskId(), row.name());
          String sealed = cipher.seal(value, TaskSecrets.TABLE, row.taskId(), row.name());
          reencrypted += taskRows.replace(row.taskId(), row.name(), row.value(), sealed);
        } catch (DecryptionException e) {
          unreadable++;
          log.warn("{}", e.getMessage());
        }
      }
      if (batch.size() < BATCH) {
        break;
      }
      afterId = batch.getLast().taskId();
      afterName = batch.getLast().name();
    }
    afterId = "";
    afterName = "";
    while (true) {
      List<ScheduleSecretRecord> batch =
          scheduleRows.findNotPrefixed(prefix, afterId, afterName, BATCH);
      for (ScheduleSecretRecord row : batch) {
        try {
          String value =
              cipher.open(row.value(), ScheduleSecrets.TABLE, row.scheduleId(), row.name());
          String sealed = cipher.seal(value, ScheduleSecrets.TABLE, row.scheduleId(), row.name());
          reencrypted += scheduleRows.replace(row.scheduleId(), row.name(), row.value(), sealed);
        } catch (DecryptionException e) {
          unreadable++;
          log.warn("{}", e.getMessage());
        }
      }
      if (batch.size() < BATCH) {
        break;
      }
      afterId = batch.getLast().scheduleId();
      afterName = batch.getLast().name();
    }
    if (reencrypted > 0) {
      log.info("encrypted {} stored secret(s) with the current key", reencrypted);
    }
    return new Result(reencrypted, unreadable);
  }
}

package dev.taskpilot.api.schedules;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.store.ScheduleRecord;
import dev.taskpilot.store.ScheduleRepository;
import dev.taskpilot.store.ScheduleSecrets;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Map;

/** What the API writes of a schedule (row, name, template, secrets), each in one transaction. */
@Singleton
class ScheduleWrites {
  private final ScheduleRepository schedules;
  private final ScheduleSecrets secrets;

  ScheduleWrites(ScheduleRepository schedules, ScheduleSecrets secrets) {
    this.schedules = schedules;
    this.secrets = secrets;
  }

  /** Stores a new schedule and its secrets; a live schedule of that name is 409. */
  @Transactional
  void insert(ScheduleRecord row, Map<String, String> templateSecrets) {
    requireFreeName(row.owner(), row.name(), row.id());
    try {
      schedules.save(row);
    } catch (DataAccessException e) {
      // A concurrent create with the same name won the race.
      requireFreeName(row.owner(), row.name(), row.id());
      throw e;
    }
    templateSecrets.forEach((name, value) -> secrets.put(row.id(), name, value, row.createdAt()));
  }

  /** Replaces the name, the template and its secrets. */
  @Transactional
  void replaceDefinition(
      ScheduleRecord row,
      String name,
      String template,
      Map<String, String> templateSecrets,
      Instant now) {
    requireFreeName(row.owner(), name, row.id());
    schedules.updateDefinition(row.id(), name, template, now);
    secrets.deleteAll(row.id());
    templateSecrets.forEach((key, value) -> secrets.put(row.id(), key, value, now));
  }

  /**
   * Marks the schedule deleted and purges its secrets: the row stays a while (with its runs) for
   * the retention sweep to delete; nothing reads the secrets any more.
   */
  @Transactional
  void markDeleted(String id, Instant now) {
    schedules.markDeleted(id, now);
    secrets.deleteAll(id);
  }

  /** Removes a schedule whose workflow could not be started. */
  void remove(String id) {
    schedules.deleteById(id);
  }

  private void requireFreeName(String owner, String name, String id) {
    if (schedules.countLiveNamed(owner, name, id) > 0) {
      throw new ApiException(
          ErrorCode.SCHEDULE_NAME_TAKEN, "a schedule named '" + name + "' exists already");
    }
  }
}

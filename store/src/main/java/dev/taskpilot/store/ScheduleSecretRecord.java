package dev.taskpilot.store;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** One secret of a schedule's task template. Never logged or shown. */
@MappedEntity("schedule_secrets")
public record ScheduleSecretRecord(
    @Id String scheduleId, String name, String value, Instant createdAt) {
  @Override
  public String toString() {
    return "ScheduleSecretRecord[scheduleId=" + scheduleId + ", name=" + name + ", value=***]";
  }
}

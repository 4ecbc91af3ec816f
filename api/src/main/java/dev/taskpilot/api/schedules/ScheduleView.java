package dev.taskpilot.api.schedules;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Map;

/**
 * The schedule resource.
 *
 * @param task the template as JSON; {@code timeout} as an ISO-8601 duration
 * @param nextFireTime null while paused (shown as null, not left out)
 */
@Serdeable
public record ScheduleView(
    String id,
    String owner,
    String name,
    String cron,
    String timeZone,
    Map<String, Object> task,
    String overlap,
    String catchupWindow,
    boolean paused,
    @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Instant nextFireTime,
    @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Instant lastFireTime,
    Instant createdAt,
    Instant updatedAt) {}

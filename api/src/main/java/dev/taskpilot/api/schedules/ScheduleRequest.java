package dev.taskpilot.api.schedules;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.taskpilot.api.tasks.CreateTaskRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/v1/schedules} and {@code PUT /api/v1/schedules/{id}}. Unknown fields
 * are refused.
 *
 * @param task the same body as {@code POST /api/v1/tasks}, refused for the same reasons
 * @param overlap SKIP (the default), BUFFER_ONE, ALLOW_ALL or CANCEL_OTHER
 * @param catchupWindow an ISO-8601 duration from PT0S to P30D (default PT1H)
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = false)
public record ScheduleRequest(
    @NotBlank @Size(max = 200) String name,
    @NotBlank @Size(max = 200) String cron,
    @NotBlank @Size(max = 100) String timeZone,
    @NotNull @Valid CreateTaskRequest task,
    @Nullable String overlap,
    @Nullable String catchupWindow,
    @Nullable Boolean paused) {}

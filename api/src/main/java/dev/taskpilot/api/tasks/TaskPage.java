package dev.taskpilot.api.tasks;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** One page of tasks, newest first; {@code nextCursor} is null on the last page. */
@Serdeable
public record TaskPage(List<TaskView> items, @Nullable String nextCursor) {}

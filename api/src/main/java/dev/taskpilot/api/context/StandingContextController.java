package dev.taskpilot.api.context;

import dev.taskpilot.api.tasks.TaskService;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The owner's standing context for the planner. */
@Controller("/api/v1/context")
@ExecuteOn(TaskExecutors.BLOCKING)
class StandingContextController {
  private final StandingContextService contexts;

  StandingContextController(StandingContextService contexts) {
    this.contexts = contexts;
  }

  @Get
  StandingContextView get() {
    return contexts.get(TaskService.DEFAULT_OWNER);
  }

  @Put
  StandingContextView put(@Body @Valid @NotNull StandingContextView context) {
    return contexts.put(TaskService.DEFAULT_OWNER, context);
  }
}

package dev.taskpilot.api.context;

import dev.taskpilot.api.auth.Caller;
import dev.taskpilot.api.auth.Roles;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The owner's standing context for the planner. */
@Controller("/api/v1/context")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.VIEWER)
class StandingContextController {
  private final StandingContextService contexts;

  StandingContextController(StandingContextService contexts) {
    this.contexts = contexts;
  }

  @Get
  StandingContextView get(Caller caller) {
    return contexts.get(caller.owner());
  }

  @Put
  @Secured(Roles.OPERATOR)
  StandingContextView put(Caller caller, @Body @Valid @NotNull StandingContextView context) {
    return contexts.put(caller.owner(), context);
  }
}

package dev.taskpilot.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;

/** The OpenAPI document's header; the document is generated at build time from the controllers. */
@OpenAPIDefinition(
    info =
        @Info(
            title = "Taskpilot",
            version = "v1",
            description =
                "Durable AI-agent tasks on Temporal. Errors are application/problem+json.",
            license = @License(name = "Apache-2.0")))
public final class TaskpilotApi {
  private TaskpilotApi() {}
}

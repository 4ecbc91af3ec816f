package dev.taskpilot.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** The OpenAPI document's header; the document is generated at build time from the controllers. */
@OpenAPIDefinition(
    info =
        @Info(
            title = "Taskpilot",
            version = "v1",
            description =
                "Durable AI-agent tasks on Temporal. Errors are application/problem+json. Every"
                    + " /api/v1 call but the one-tap approval links sends Authorization: Bearer"
                    + " <token> (taskpilot token create).",
            license = @License(name = "Apache-2.0")),
    security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(
    name = "bearer",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description = "An API token, tp_…; roles viewer, operator, admin")
public final class TaskpilotApi {
  private TaskpilotApi() {}
}

package dev.taskpilot.api.tasks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/** The bodies of the task commands. */
public final class CommandRequests {
  private CommandRequests() {}

  /** {@code approve} and {@code reject}; {@code budgetUsd} raises the budget (approve only). */
  @Serdeable
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record Decision(
      @Nullable @Size(max = 10_000) String comment,
      @Nullable @DecimalMin(value = "0", inclusive = false) BigDecimal budgetUsd) {}

  /** {@code cancel}. */
  @Serdeable
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record Cancel(@Nullable @Size(max = 10_000) String reason) {}

  /** {@code reschedule}. */
  @Serdeable
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record Reschedule(@NotBlank String notBefore) {}

  /** {@code priority}. */
  @Serdeable
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record Priority(
      @NotNull @Min(dev.taskpilot.workflows.Priority.MIN) @Max(dev.taskpilot.workflows.Priority.MAX)
          Integer priority) {}

  /** {@code input}. */
  @Serdeable
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record Input(@NotBlank @Size(max = 100_000) String text) {}
}

package dev.taskpilot.api.tasks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.taskpilot.workflows.Priority;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;

/**
 * The body of {@code POST /api/v1/tasks}, as API.md defines it. Unknown fields are refused.
 *
 * @param notifyChannels the {@code notify} field ({@code notify} cannot name a record component)
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = false)
public record CreateTaskRequest(
    @NotBlank @Size(max = 100_000) String prompt,
    @Nullable @Size(max = 200) String title,
    @Nullable @Size(max = 100) String agent,
    @Nullable @Size(max = 255) String workspace,
    @Nullable @Min(Priority.MIN) @Max(Priority.MAX) Integer priority,
    @Nullable String notBefore,
    @Nullable @Size(max = 100_000) String context,
    @Nullable @Size(max = 50) List<@NotBlank @Size(max = 100) String> labels,
    @Nullable @Valid Approval approval,
    @Nullable @Size(max = 20) List<@NotNull @Valid Target> publish,
    @JsonProperty("notify") @Nullable @Size(max = 20) List<@NotNull @Valid Channel> notifyChannels,
    @Nullable @DecimalMin(value = "0", inclusive = false) BigDecimal budgetUsd,
    @Nullable String timeout) {

  /** Human gates; a missing field is left to the plan. */
  @Serdeable
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record Approval(@Nullable Boolean beforeRun, @Nullable Boolean beforePublish) {}

  /**
   * A publish target; which fields apply depends on its type.
   *
   * @param secret a webhook's signing secret (at least 16 characters), stored apart from the task
   *     and never shown
   */
  @Serdeable
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record Target(
      @NotBlank String type,
      @Nullable @Size(max = 1000) String path,
      @Nullable @Size(max = 2000) String url,
      @Nullable @Size(max = 1000) String secret,
      @Nullable @Size(max = 2000) String remote,
      @Nullable @Size(max = 255) String branch) {}

  /**
   * A notification channel; which fields apply depends on its type.
   *
   * @param token an ntfy access token, stored apart from the task and never shown
   */
  @Serdeable
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record Channel(
      @NotBlank String type,
      @Nullable @Size(max = 255) String topic,
      @Nullable @Size(max = 2000) String server,
      @Nullable @Size(max = 2000) String url,
      @Nullable @Size(max = 1000) String token,
      @Nullable @Size(max = 20) List<String> events) {}
}

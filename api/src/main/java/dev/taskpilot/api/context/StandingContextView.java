package dev.taskpilot.api.context;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * The owner's standing context for the planner: {@code GET} answers it, {@code PUT} replaces it.
 *
 * @param timeZone an IANA time zone id such as {@code Europe/Berlin}
 * @param workingHours local working hours, or null for none
 * @param withinWorkingHours whether planned tasks must start inside working hours
 * @param preferences free text the planner reads, at most 20 000 characters
 * @param updatedAt when it was last replaced (ignored in a PUT)
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = false)
public record StandingContextView(
    @NotBlank @Size(max = 64) String timeZone,
    @Nullable @Valid WorkingHours workingHours,
    @Nullable Boolean withinWorkingHours,
    @Nullable @Size(max = 20_000) String preferences,
    @Nullable Instant updatedAt) {

  /** Local working hours ({@code HH:mm}) on the given days (every day when none are given). */
  @Serdeable
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record WorkingHours(
      @NotBlank String start, @NotBlank String end, @Nullable @Size(max = 7) List<String> days) {}
}

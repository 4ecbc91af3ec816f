package dev.taskpilot.api.chat;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/v1/chat}. */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = false)
public record ChatRequest(@NotBlank @Size(max = 10_000) String message) {}

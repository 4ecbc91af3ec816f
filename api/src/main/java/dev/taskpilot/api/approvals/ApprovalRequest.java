package dev.taskpilot.api.approvals;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** The optional body of a one-tap approve or reject: a comment for the decision. */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = false)
public record ApprovalRequest(@Nullable String comment) {}

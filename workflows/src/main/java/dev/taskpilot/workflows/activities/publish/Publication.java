package dev.taskpilot.workflows.activities.publish;

import java.time.Instant;

/** Where a result was delivered. */
public record Publication(String target, String location, Instant deliveredAt) {}

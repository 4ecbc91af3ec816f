package dev.taskpilot.api.dashboard;

import io.micronaut.serde.annotation.Serdeable;

/** The Temporal Web UI's base URL and the namespace Taskpilot's workflows run in. */
@Serdeable
public record TemporalUiLink(String url, String namespace) {}

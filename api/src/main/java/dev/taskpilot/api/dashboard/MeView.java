package dev.taskpilot.api.dashboard;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The answer of {@code GET /api/v1/me}.
 *
 * @param role {@code viewer}, {@code operator} or {@code admin}
 * @param temporalUi where the Temporal Web UI is, when {@code taskpilot.dashboard.temporal-ui-url}
 *     is set: the dashboard links a task to {@code <url>/namespaces/<namespace>/workflows/<task
 *     id>}
 */
@Serdeable
public record MeView(String owner, String role, @Nullable TemporalUiLink temporalUi) {}

package dev.taskpilot.worker;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/**
 * Configuration that overrides the declared options of one activity type, under {@code
 * taskpilot.activities.<type>} where type is the kebab-case activity type, e.g. {@code plan-task},
 * {@code run-agent}, {@code publish-webhook}, {@code publish-git}, {@code publish-file}, {@code
 * send-notification} or {@code record-task-state}. Unset fields keep their declared values.
 */
@EachProperty("taskpilot.activities")
public record ActivityOverride(
    @Parameter String name,
    @Nullable Duration startToCloseTimeout,
    @Nullable Duration heartbeatTimeout,
    @Nullable Duration initialInterval,
    @Nullable Double backoffCoefficient,
    @Nullable Duration maximumInterval,
    @Nullable Integer maximumAttempts) {}

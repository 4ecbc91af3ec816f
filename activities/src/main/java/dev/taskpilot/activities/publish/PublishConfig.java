package dev.taskpilot.activities.publish;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;

/**
 * Publishing settings.
 *
 * @param fileRoot the directory the {@code file} target writes under
 */
@ConfigurationProperties("taskpilot.publish")
public record PublishConfig(@NotNull Path fileRoot) {}

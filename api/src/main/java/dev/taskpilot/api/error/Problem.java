package dev.taskpilot.api.error;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * An RFC 9457 problem document with the stable {@code code} and the {@code requestId} of API.md.
 *
 * @param errors the individual messages when there were several (for example one per invalid field)
 */
@Serdeable
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String code,
    String requestId,
    @Nullable List<String> errors) {}

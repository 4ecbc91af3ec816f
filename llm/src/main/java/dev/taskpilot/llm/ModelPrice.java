package dev.taskpilot.llm;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.math.BigDecimal;

/**
 * The price of one model, one entry of the list {@code taskpilot.llm.prices}: {@code {model,
 * input-per-million, output-per-million}} in US dollars per million tokens.
 */
@EachProperty(value = "taskpilot.llm.prices", list = true)
public record ModelPrice(
    @Parameter Integer index,
    String model,
    BigDecimal inputPerMillion,
    BigDecimal outputPerMillion) {}

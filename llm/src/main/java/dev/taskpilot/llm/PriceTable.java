package dev.taskpilot.llm;

import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;

/** Cost estimates from the configured prices; a model without a price has no estimate. */
@Singleton
public class PriceTable {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  private final List<ModelPrice> prices;

  public PriceTable(List<ModelPrice> prices) {
    this.prices = List.copyOf(prices);
  }

  /** The estimated cost of a call, when the model has a price and the tokens are known. */
  public Optional<BigDecimal> cost(String model, Integer inputTokens, Integer outputTokens) {
    if (model == null || inputTokens == null || outputTokens == null) {
      return Optional.empty();
    }
    return prices.stream()
        .filter(price -> model.equals(price.model()))
        .findFirst()
        .map(
            price ->
                price
                    .inputPerMillion()
                    .multiply(BigDecimal.valueOf(inputTokens))
                    .add(price.outputPerMillion().multiply(BigDecimal.valueOf(outputTokens)))
                    .divide(MILLION, 6, RoundingMode.HALF_UP));
  }
}

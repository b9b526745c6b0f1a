package dev.northwind.lakehouse.stream;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;

/**
 * One line of an order event.
 *
 * @param productId an existing product
 * @param unitPrice price per unit, at most 4 decimals, {@code >= 0}
 * @param quantity units, {@code > 0}
 * @param discount fraction in [0, 1]
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OrderLine(int productId, BigDecimal unitPrice, int quantity, BigDecimal discount) {

  /** {@code unit_price * quantity * (1 - discount)}, exact (no rounding), as Silver computes it. */
  public BigDecimal netAmount() {
    return unitPrice
        .multiply(BigDecimal.valueOf(quantity))
        .multiply(BigDecimal.ONE.subtract(discount));
  }
}

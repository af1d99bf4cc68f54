package io.chronofabric.example.requestreply.internal;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** An immutable price list and the quote arithmetic; parsing errors name the bad input. */
final class PriceList {

    private final Map<String, BigDecimal> prices;
    private final String currency;
    private final int maxQuantity;

    private PriceList(Map<String, BigDecimal> prices, String currency, int maxQuantity) {
        this.prices = Collections.unmodifiableMap(prices);
        this.currency = currency;
        this.maxQuantity = maxQuantity;
    }

    /** @throws IllegalArgumentException an entry that is not item=price, a negative price, or a bad quantity limit */
    static PriceList of(QuoteConfig config) {
        if (config.max_quantity() < 1 || config.max_quantity() > 1_000_000_000) {
            throw new IllegalArgumentException(QuoteConfig.PID + ": max.quantity " + config.max_quantity() + " is outside 1..1000000000");
        }
        Map<String, BigDecimal> prices = new TreeMap<>();
        for (String entry : config.prices().split(",")) {
            entry = entry.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String item = eq < 0 ? "" : entry.substring(0, eq).strip();
            if (item.isEmpty() || item.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(QuoteConfig.PID + ": prices entry '" + entry + "' is not item=price");
            }
            BigDecimal price;
            try {
                price = new BigDecimal(entry.substring(eq + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(QuoteConfig.PID + ": prices entry '" + entry + "' has no number after '='");
            }
            if (price.signum() < 0) {
                throw new IllegalArgumentException(QuoteConfig.PID + ": prices entry '" + entry + "' is negative");
            }
            prices.put(item, price);
        }
        return new PriceList(prices, config.currency().strip(), config.max_quantity());
    }

    /**
     * Quotes a request {@code "item [quantity]"} (quantity 1 when absent), e.g. {@code "widget 3"}
     * gives {@code "3 x widget = 7.50 EUR"}.
     *
     * @throws IllegalArgumentException an unknown item (the message lists the known ones) or a bad quantity
     */
    String quote(String request) {
        String[] words = request.strip().split("\\s+");
        if (words.length == 0 || words[0].isEmpty() || words.length > 2) {
            throw new IllegalArgumentException("Request '" + request + "' is not 'item [quantity]'");
        }
        String item = words[0];
        BigDecimal price = prices.get(item);
        if (price == null) {
            throw new IllegalArgumentException("No price for '" + item + "': the price list has " + String.join(", ", prices.keySet()));
        }
        int quantity = 1;
        if (words.length == 2) {
            try {
                quantity = Integer.parseInt(words[1]);
            } catch (NumberFormatException e) {
                quantity = -1;
            }
            if (quantity < 1 || quantity > maxQuantity) {
                throw new IllegalArgumentException("Quantity '" + words[1] + "' is not a whole number from 1 to " + maxQuantity);
            }
        }
        BigDecimal total = price.multiply(BigDecimal.valueOf(quantity));
        return quantity + " x " + item + " = " + total.toPlainString() + (currency.isEmpty() ? "" : " " + currency);
    }

    int size() {
        return prices.size();
    }
}

package io.chronofabric.example.requestreply.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import org.junit.jupiter.api.Test;

class PriceListTest {

    static QuoteConfig config(String prices, String currency, int max) {
        return new QuoteConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return QuoteConfig.class;
            }

            @Override
            public String prices() {
                return prices;
            }

            @Override
            public String currency() {
                return currency;
            }

            @Override
            public int max_quantity() {
                return max;
            }
        };
    }

    private final PriceList list = PriceList.of(config("widget=2.50, gadget = 10.00,gizmo=0.99", "EUR", 1000));

    @Test
    void shouldQuoteTheTotalForAQuantity() {
        assertThat(list.quote("widget 3")).isEqualTo("3 x widget = 7.50 EUR");
        assertThat(list.quote("  gizmo   1000 ")).isEqualTo("1000 x gizmo = 990.00 EUR");
    }

    @Test
    void shouldQuoteOneWithoutAQuantity() {
        assertThat(list.quote("gadget")).isEqualTo("1 x gadget = 10.00 EUR");
    }

    @Test
    void shouldNameTheKnownItemsForAnUnknownOne() {
        assertThatThrownBy(() -> list.quote("sprocket 2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No price for 'sprocket': the price list has gadget, gizmo, widget");
    }

    @Test
    void shouldRefuseABadQuantityOrRequest() {
        assertThatThrownBy(() -> list.quote("widget 3x")).hasMessage("Quantity '3x' is not a whole number from 1 to 1000");
        assertThatThrownBy(() -> list.quote("widget 0")).hasMessage("Quantity '0' is not a whole number from 1 to 1000");
        assertThatThrownBy(() -> list.quote("widget 1001")).hasMessage("Quantity '1001' is not a whole number from 1 to 1000");
        assertThatThrownBy(() -> list.quote("widget 1 2")).hasMessage("Request 'widget 1 2' is not 'item [quantity]'");
        assertThatThrownBy(() -> list.quote("   ")).hasMessage("Request '   ' is not 'item [quantity]'");
    }

    @Test
    void shouldNameABadPriceListEntry() {
        assertThatThrownBy(() -> PriceList.of(config("widget", "EUR", 10)))
                .hasMessage("io.chronofabric.example.requestreply: prices entry 'widget' is not item=price");
        assertThatThrownBy(() -> PriceList.of(config("gizmo=1, widget=cheap", "EUR", 10)))
                .hasMessage("io.chronofabric.example.requestreply: prices entry 'widget=cheap' has no number after '='");
        assertThatThrownBy(() -> PriceList.of(config("widget=-1", "EUR", 10)))
                .hasMessage("io.chronofabric.example.requestreply: prices entry 'widget=-1' is negative");
        assertThatThrownBy(() -> PriceList.of(config("", "EUR", 0)))
                .hasMessage("io.chronofabric.example.requestreply: max.quantity 0 is outside 1..1000000000");
    }
}

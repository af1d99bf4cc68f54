package io.chronofabric.example.requestreply.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ChronoFabric example: price quotes",
        description = "Answers 'item [quantity]' requests on channel example.quote with the price.")
public @interface QuoteConfig {

    String PID = "io.chronofabric.example.requestreply";

    @AttributeDefinition(name = "Price list",
            description = "Comma-separated entries item=price, e.g. widget=2.50, gadget=10.00; item names without spaces, prices 0 or more.")
    String prices() default "widget=2.50, gadget=10.00, gizmo=0.99";

    @AttributeDefinition(name = "Currency", description = "Printed after the total.")
    String currency() default "EUR";

    @AttributeDefinition(name = "Largest quantity", description = "Largest quantity one request may ask for, 1..1000000000.")
    int max_quantity() default 1_000_000;
}

package io.chronofabric.example.requestreply.internal;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.patterns.Responder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request/reply service: registered as a {@link Responder} on {@value #CHANNEL}, the patterns
 * bundle's whiteboard subscribes it there. Each String request {@code "item [quantity]"} is
 * answered with its price; a request it cannot price fails at the requester at once with
 * {@code RequestFailedException} naming the problem (the responder throws). The price list is
 * configuration (PID {@value QuoteConfig#PID}) and changes while the service runs.
 */
@Component(name = QuoteConfig.PID, service = Responder.class, immediate = true,
        property = {Responder.CHANNEL + "=" + QuoteResponder.CHANNEL, Responder.TYPE + "=java.lang.String"})
@Designate(ocd = QuoteConfig.class)
public final class QuoteResponder implements Responder<String, String> {

    static final String CHANNEL = "example.quote";

    private static final Logger LOG = LoggerFactory.getLogger(QuoteResponder.class);

    private volatile PriceList prices;

    @Activate
    @Modified
    void configure(QuoteConfig config) {
        PriceList list = PriceList.of(config);
        prices = list;
        LOG.info("Price quotes on {}: {} items", CHANNEL, list.size());
    }

    @Override
    public String respond(PhasePacket<String> request) {
        return prices.quote(request.payload());
    }

    @Override
    public String toString() {
        return "QuoteResponder[" + CHANNEL + "]";
    }
}

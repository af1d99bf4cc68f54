package itest.example.hello;

import io.chronofabric.api.bus.EventBusTx;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PacketSubscription;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.PublishStatus;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whiteboard handler: registered as a {@link PacketHandler} service with the channel in its
 * service properties, it is subscribed by the bus (again whenever the bus restarts). Each
 * {@code String} packet on {@value #CHANNEL} is answered with a greeting on {@value #GREETINGS}.
 * The bus calls {@link #onPacket} from one dispatcher thread at a time.
 */
@Component(service = PacketHandler.class)
@PacketSubscription(type = "java.lang.String", channel = GreetingHandler.CHANNEL)
public class GreetingHandler implements PacketHandler<String> {

    /** The channel this handler listens on. */
    public static final String CHANNEL = "itest.hello";

    /** The channel greetings are published on. */
    public static final String GREETINGS = CHANNEL + ".greetings";

    private static final Logger LOG = LoggerFactory.getLogger(GreetingHandler.class);

    private final AtomicLong refused = new AtomicLong();

    @Reference
    EventBusTx bus;

    @Override
    public void onPacket(PhasePacket<String> packet) {
        String name = packet.payload().strip();
        // tryPublish never blocks the dispatcher thread: a full queue is a status, not a wait
        PublishStatus status = bus.tryPublish(PhasePacket.builder(greeting(name)).channel(GREETINGS).build());
        if (status != PublishStatus.ACCEPTED && refused.getAndIncrement() % 1000 == 0) {
            LOG.warn("Greeting for '{}' not published on {}: {} ({} refused so far)", name, GREETINGS, status, refused.get());
        }
    }

    /** The greeting for a name; an empty name greets the world. */
    static String greeting(String name) {
        return "Hello, " + (name.isEmpty() ? "world" : name) + "!";
    }
}

package itest.example.hello;

import io.chronofabric.api.bus.EventBusTx;
import io.chronofabric.api.bus.PhasePacket;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A publisher: a DS component that publishes {@code tick N} on {@value #TICKS} every
 * {@code interval.ms}. Its configuration (PID {@value #PID}, e.g. {@code etc/itest.example.hello.ticks.cfg})
 * is applied while it runs.
 */
@Component(name = TickPublisher.PID, immediate = true, service = {})
@Designate(ocd = TickPublisher.Config.class)
public class TickPublisher {

    public static final String PID = "itest.example.hello.ticks";

    /** The channel ticks are published on. */
    public static final String TICKS = GreetingHandler.CHANNEL + ".ticks";

    @ObjectClassDefinition(name = "itest-hello ticks", description = "Publishes 'tick N' on " + TICKS + ".")
    public @interface Config {
        @AttributeDefinition(name = "Interval (ms)", description = "Time between ticks; 0 stops publishing. 0..3600000.")
        long interval_ms() default 1000;
    }

    private static final Logger LOG = LoggerFactory.getLogger(TickPublisher.class);

    private final AtomicLong ticks = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, PID);
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> task;

    @Reference
    EventBusTx bus;

    @Activate
    @Modified
    synchronized void configure(Config config) {
        long interval = config.interval_ms();
        if (interval < 0 || interval > 3_600_000) {
            throw new IllegalArgumentException(PID + ": interval.ms " + interval + " is outside 0..3600000");
        }
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        if (interval > 0) {
            task = timer.scheduleAtFixedRate(this::tick, interval, interval, TimeUnit.MILLISECONDS);
        }
        LOG.info("Publishing a tick on {} every {} ms (0 = stopped)", TICKS, interval);
    }

    @Deactivate
    synchronized void deactivate() {
        timer.shutdownNow();
    }

    void tick() {
        try {
            bus.tryPublish(PhasePacket.builder("tick " + ticks.incrementAndGet()).channel(TICKS).build());
        } catch (RuntimeException e) {
            // never let an exception cancel the schedule
            LOG.warn("Tick not published on {}: {}", TICKS, e.toString());
        }
    }
}

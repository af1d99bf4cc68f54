package io.chronofabric.ledger.internal;

import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import io.chronofabric.ledger.record.RecordedPacket;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends the packets of the configured channels ({@code record.channels}) to the ledger as
 * {@link RecordedPacket}s. Each channel is a whiteboard {@link PacketHandler} service, so the bus
 * re-attaches the recorder whenever it restarts. Records nothing until channels are configured.
 */
@Component(name = "io.chronofabric.ledger.recorder", configurationPid = LedgerConfig.PID, immediate = true, service = {})
public final class BusRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(BusRecorder.class);

    @Reference
    private SecureImmutableLedger ledger;

    private BundleContext context;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Activate
    void activate(BundleContext bc, LedgerConfig config) {
        this.context = bc;
        apply(config);
    }

    @Modified
    void modified(LedgerConfig config) {
        apply(config);
    }

    @Deactivate
    synchronized void deactivate() {
        unregisterAll();
    }

    private synchronized void apply(LedgerConfig config) {
        unregisterAll();
        Set<String> channels = new LinkedHashSet<>();
        for (String c : config.record_channels()) {
            for (String part : c.split(",")) {
                String name = part.trim();
                if (name.isEmpty()) {
                    continue;
                }
                try {
                    channels.add(Channels.requireValid(name));
                } catch (IllegalArgumentException e) {
                    LOG.error("Refused configuration {}: record.channels entry: {}", LedgerConfig.PID, e.getMessage());
                }
            }
        }
        for (String channel : channels) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(PacketHandler.CHANNEL, channel);
            props.put("chronofabric.recorder", true);
            PacketHandler<Object> handler = packet -> record(packet, channel);
            registrations.add(context.registerService(PacketHandler.class, handler, props));
        }
        if (!channels.isEmpty()) {
            LOG.info("Recording bus channels {} into the ledger", channels);
        }
    }

    private void record(PhasePacket<Object> packet, String channel) {
        ledger.append(RecordedPacket.of(packet, channel).encode());
    }

    private void unregisterAll() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        registrations.clear();
    }
}

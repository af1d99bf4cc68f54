package io.chronofabric.network.internal;

import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.bus.DeadLetter;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.InitializationException;
import io.chronofabric.api.core.Priority;
import io.chronofabric.api.network.PayloadCodec;
import io.chronofabric.api.time.HlcClock;
import java.io.File;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges the configured bus channels to the other nodes: a same-thread handler per channel
 * sends each local packet (an unserializable payload fails there and is dead-lettered by the bus
 * with the codec error); packets from other nodes are published on the local bus with their
 * priority, deadline and target mask, from {@code component.id} (never sent back out). Packets a
 * node does not acknowledge within {@code unreachable.ms} go to {@link Channels#DEAD_LETTER} with
 * the reason. Payload codecs: built in, plus every {@link PayloadCodec} service.
 */
@Component(name = NetworkConfig.PID, configurationPid = NetworkConfig.PID, immediate = true, service = {})
@Designate(ocd = NetworkConfig.class)
public final class NetworkComponent {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkComponent.class);

    private final CodecRegistry codecs = new CodecRegistry();

    @Reference
    private EventBus bus;

    @Reference
    private HlcClock hlc;

    private NetworkNode node;
    private ComponentId self;
    private final List<ServiceRegistration<?>> handlers = new ArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCodec(PayloadCodec<?> codec) {
        try {
            codecs.add(codec);
        } catch (IllegalArgumentException e) {
            LOG.error("Payload codec {} refused: {}", codec.name(), e.getMessage());
        }
    }

    void removeCodec(PayloadCodec<?> codec) {
        codecs.remove(codec);
    }

    @Activate
    synchronized void activate(BundleContext bc, NetworkConfig c) {
        start(bc, c);
    }

    @Modified
    synchronized void modified(BundleContext bc, NetworkConfig c) {
        stop();
        start(bc, c);
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    private void start(BundleContext bc, NetworkConfig c) {
        Map<Integer, String> nodes = new TreeMap<>();
        for (String e : c.nodes().split(",")) {
            String t = e.trim();
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq < 1) {
                throw new InitializationException("network", "nodes entry '" + t + "' is not id=host:port");
            }
            try {
                nodes.put(Integer.parseInt(t.substring(0, eq).trim()), t.substring(eq + 1).trim());
            } catch (NumberFormatException ex) {
                throw new InitializationException("network", "nodes entry '" + t + "': the id is not a number");
            }
        }
        if (c.component_id() < 0 || c.component_id() >= ComponentId.MAX_COMPONENTS) {
            throw new InitializationException("network", "component.id must be 0.." + (ComponentId.MAX_COMPONENTS - 1)
                    + ": " + c.component_id());
        }
        self = ComponentId.of(c.component_id());
        File dir = c.dir() != null && !c.dir().isBlank() ? new File(c.dir())
                : bc.getProperty("karaf.data") != null ? new File(bc.getProperty("karaf.data"), "chronofabric/network")
                : bc.getDataFile("network");
        try {
            node = NetworkNode.start(new NetworkNode.Settings(c.node_id(), nodes, dir, c.term_length(), c.retransmit_ms(),
                    c.unreachable_ms(), c.max_queued()), codecs, hlc, this::deliver, this::deadLetter);
        } catch (RuntimeException e) {
            throw new InitializationException("network", "node " + c.node_id() + " cannot start: " + e.getMessage(), e);
        }
        for (String ch : c.channels().split(",")) {
            String channel = ch.trim();
            if (channel.isEmpty()) {
                continue;
            }
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(PacketHandler.CHANNEL, Channels.requireValid(channel));
            props.put(PacketHandler.DELIVERY, PacketHandler.DELIVERY_SAME_THREAD);
            PacketHandler<Object> h = this::forward;
            handlers.add(bc.registerService(PacketHandler.class, h, props));
        }
        LOG.info("Network node {} up on {}; bridging {} to {}", c.node_id(), nodes.get(c.node_id()), c.channels(), nodes);
    }

    private void stop() {
        handlers.forEach(ServiceRegistration::unregister);
        handlers.clear();
        if (node != null) {
            node.close();
            node = null;
        }
    }

    private void forward(PhasePacket<Object> p) {
        if (p.routing().source().equals(self)) {
            return; // came from another node
        }
        NetworkNode n = node;
        if (n != null && !n.send(new WirePacket(-1, p.channel(), p.payload(), p.messageIdValue(), p.priority().ordinal(),
                p.deadlineNanos(), p.targetMask(), p.timestamp(), p.delivery().isGuaranteed()))) {
            throw new IllegalStateException("network send queue full (max.queued)");
        }
    }

    private void deliver(NetworkNode.Delivered d) {
        WirePacket w = d.packet();
        PhasePacket.Builder<Object> b = PhasePacket.builder(w.payload()).channel(w.channel()).source(self)
                .priority(Priority.values()[Math.max(0, Math.min(Priority.values().length - 1, w.priority()))])
                .targets(w.targetMask());
        if (w.deadlineNanos() != Long.MAX_VALUE) {
            b.deadline(w.deadlineNanos());
        }
        bus.publish(b.build());
    }

    private void deadLetter(WirePacket w, String reason) {
        LOG.warn("Network dead letter on {}: {}", w.channel(), reason);
        try {
            PhasePacket<Object> original = PhasePacket.builder(w.payload()).channel(w.channel()).source(self).build();
            bus.publish(PhasePacket.builder(new DeadLetter(original, reason, null, null)).channel(Channels.DEAD_LETTER)
                    .source(self).build());
        } catch (RuntimeException e) {
            LOG.warn("Network dead letter on {} not recorded: {}", w.channel(), e.toString());
        }
    }
}

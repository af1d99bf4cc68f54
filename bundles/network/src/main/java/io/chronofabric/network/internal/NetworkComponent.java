package io.chronofabric.network.internal;

import io.chronofabric.api.bus.BusBridge;
import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.InitializationException;
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
 * sends each packet published on this node (an unserializable payload fails there and is
 * dead-lettered by the bus with the codec error); packets from other nodes are published on the
 * local bus through {@link BusBridge#publishForeign} under their origin message id and HLC
 * timestamp, with their priority, deadline, target mask, delivery options, causal dependencies and
 * trace context, from {@code component.id}. A packet whose id names another node is never sent
 * out again (ids are unique across the cluster: the HLC node id is in their top bits). Packets a
 * node does not acknowledge within {@code unreachable.ms}, and packets that arrive but cannot be
 * published here, go to the bus's durable dead-letter log ({@link BusBridge#deadLetter}) with the
 * reason. Payload codecs: built in, plus every {@link PayloadCodec} service.
 *
 * <p>Nothing accepted is lost when the node is replaced: on a restart after the loss of the media
 * driver ({@code driver.recover.ms}) and on a reconfiguration, the old node's guaranteed packets
 * not yet acknowledged by every addressee are handed to the new node, which sends them again under
 * the same sequence and message id (receivers drop what they had) and still gives each up
 * {@code unreachable.ms} after its first send. They are dead-lettered instead, the reason naming the
 * node, the cause and the addressee, when there is no replacement (deactivated), when the new
 * configuration does not start, when the node id, the addressee's membership or a large one's chunk
 * size changed, and, while a restart keeps failing, once they are {@code unreachable.ms} old.
 */
@Component(name = NetworkConfig.PID, configurationPid = NetworkConfig.PID, immediate = true, service = HealthIndicator.class,
        property = "chronofabric.bridge=network")
@Designate(ocd = NetworkConfig.class)
public final class NetworkComponent implements HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkComponent.class);

    private final CodecRegistry codecs = new CodecRegistry();

    @Reference
    private BusBridge bus;

    @Reference
    private HlcClock hlc;

    private volatile NetworkNode node;
    private volatile String where = "";
    private final List<ServiceRegistration<?>> handlers = new ArrayList<>();
    /** ipc: restarts the node when its client lost the shared driver (driver.recover.ms > 0). */
    private DriverWatchdog watchdog;
    private BundleContext context;
    private NetworkConfig config;
    private boolean active;
    /** A restart after a driver loss began and has not succeeded yet. */
    private volatile boolean recovering;
    /** What the closed node left unacknowledged while no replacement runs yet (a restart that keeps failing). */
    private NetworkNode.Unfinished leftovers;

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
        active = true;
        start(bc, c, null);
        watch(bc, c);
    }

    /**
     * The old node hands its unacknowledged guaranteed packets to the new one, which sends them
     * again (same sequence and message id: receivers drop what they had); if the new configuration
     * does not start, they are dead-lettered naming that.
     */
    @Modified
    synchronized void modified(BundleContext bc, NetworkConfig c) {
        unwatch();
        NetworkNode.Unfinished left = handOver();
        try {
            start(bc, c, left);
        } catch (RuntimeException e) {
            if (left != null) {
                left.deadLetter("reconfigured; the new configuration did not start: " + e.getMessage());
            }
            throw e;
        }
        watch(bc, c);
    }

    /** No replacement: the unacknowledged guaranteed packets go to the dead-letter log with the reason. */
    @Deactivate
    synchronized void deactivate() {
        active = false;
        unwatch();
        NetworkNode.Unfinished left = handOver();
        if (left != null) {
            left.deadLetter(recovering ? "driver lost; not restarted before the component was deactivated"
                    : "component deactivated");
        }
    }

    private void watch(BundleContext bc, NetworkConfig c) {
        context = bc;
        config = c;
        recovering = false;
        if (AeronTransport.Kind.parse(c.transport()) == AeronTransport.Kind.IPC && c.driver_recover_ms() > 0) {
            watchdog = new DriverWatchdog("node " + c.node_id(), c.driver_recover_ms(), () -> {
                NetworkNode n = node;
                return recovering || (n != null && n.transport().failure() != null);
            }, this::restartAfterDriverLoss);
        }
    }

    private void unwatch() {
        if (watchdog != null) {
            watchdog.close();
            watchdog = null;
        }
    }

    /** On the watchdog's thread: the node lost its shared driver; stop it and start it again (throws while that fails). */
    synchronized void restartAfterDriverLoss() {
        if (!active) {
            return;
        }
        NetworkNode current = node;
        if (!recovering && (current == null || current.transport().failure() == null)) {
            return; // a stale watchdog run: the failure it saw is gone (restarted meanwhile), the node is healthy
        }
        recovering = true;
        NetworkNode.Unfinished left = handOver();
        try {
            start(context, config, left); // the new node sends them again
        } catch (RuntimeException e) {
            if (left != null) {
                // kept for the next try; those a receiver would refuse by now go to the dead-letter log
                left.expire(System.currentTimeMillis(), config.unreachable_ms(), "driver lost; restart failing: " + e.getMessage());
                leftovers = left;
            }
            throw e;
        }
        recovering = false;
    }

    /**
     * Unregisters the handlers and closes the node, returning what it left unacknowledged (or what
     * a closed node left with no replacement started yet); null when there is no node.
     */
    private NetworkNode.Unfinished handOver() {
        handlers.forEach(ServiceRegistration::unregister);
        handlers.clear();
        NetworkNode.Unfinished left = leftovers;
        leftovers = null;
        if (node != null) {
            left = node.handOver();
            node = null;
        }
        return left;
    }

    /** @param previous what the closed node left unacknowledged, sent again by the new node (null: nothing) */
    private void start(BundleContext bc, NetworkConfig c, NetworkNode.Unfinished previous) {
        AeronTransport.Options transport;
        try {
            transport = new AeronTransport.Options(AeronTransport.Kind.parse(c.transport()), AeronTransport.Driver.parse(c.driver()),
                    c.driver_timeout_ms(), c.ipc_stream_base());
        } catch (IllegalArgumentException e) {
            throw new InitializationException("network", e.getMessage(), e);
        }
        boolean ipc = transport.kind() == AeronTransport.Kind.IPC;
        Map<Integer, String> nodes = parseNodes(c.nodes(), ipc);
        if (c.component_id() < 0 || c.component_id() >= ComponentId.MAX_COMPONENTS) {
            throw new InitializationException("network", "component.id must be 0.." + (ComponentId.MAX_COMPONENTS - 1)
                    + ": " + c.component_id());
        }
        ComponentId self = ComponentId.of(c.component_id());
        BusLink link = new BusLink(bus, hlc, self);
        if (hlc.nodeId() != c.node_id()) {
            LOG.info("Network node {} runs with HLC node id {} (the node in this node's message ids)", c.node_id(), hlc.nodeId());
        }
        File dir = ipc ? ipcDir(c.aeron_dir())
                : c.dir() != null && !c.dir().isBlank() ? new File(c.dir())
                : bc.getProperty("karaf.data") != null ? new File(bc.getProperty("karaf.data"), "chronofabric/network")
                : bc.getDataFile("network");
        try {
            node = NetworkNode.start(new NetworkNode.Settings(c.node_id(), nodes, dir, c.term_length(), c.retransmit_ms(),
                    c.unreachable_ms(), c.max_queued(), transport, c.max_payload_bytes(), c.max_reassembly_bytes()), codecs, hlc,
                    link::deliver, link::deadLetter, previous);
            link.attach(node);
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
            PacketHandler<Object> h = link::forward;
            handlers.add(bc.registerService(PacketHandler.class, h, props));
        }
        where = "node " + c.node_id() + " " + node.transport().describe() + ", " + (nodes.size() - 1) + " peer(s), bridging "
                + (c.channels().isBlank() ? "nothing" : c.channels().trim());
        LOG.info("Network node {} up, {}; bridging {} to {}", c.node_id(), node.transport().describe(), c.channels(), nodes);
    }

    /**
     * For {@code csf:status} (row {@code bridge:network}): this node, its peers and counters; degraded
     * while packets have gone to the dead-letter log, timestamps were refused, frames of another
     * version came in, or large messages were refused for reassembly here.
     */
    @Override
    public HealthReport health() {
        NetworkNode n = node;
        if (n == null) {
            return HealthReport.down(recovering ? "network node restarting after the loss of its media driver (ipc; tried every "
                    + config.driver_recover_ms() + " ms)" : "network node not running", List.of());
        }
        String failure = n.transport().failure();
        if (failure != null) {
            return HealthReport.down(where + ": " + failure, List.of("aeron.dir = " + n.transport().dir()));
        }
        Map<String, Long> c = n.counters();
        String summary = where + "; sent " + c.get("sent") + ", received " + c.get("received") + ", retransmits "
                + c.get("retransmits") + ", dead-lettered " + c.get("deadLettered") + ", refused late " + c.get("refusedLate")
                + ", refused HLC " + c.get("refusedHlc") + ", refused version " + c.get("refusedVersion") + ", large refused "
                + c.get("reassemblyRefused") + ", partials dropped " + c.get("partialsDropped");
        List<String> details = new ArrayList<>();
        c.forEach((k, v) -> details.add(k + " = " + v));
        return c.get("deadLettered") > 0 || c.get("refusedHlc") > 0 || c.get("refusedVersion") > 0
                || c.get("reassemblyRefused") > 0 ? HealthReport.degraded(summary, details) : HealthReport.up(summary);
    }

    /**
     * {@code id=host:port,...}; with ipc the value is not used: {@code id=ipc} or just {@code id}.
     *
     * @throws InitializationException naming the entry that is wrong
     */
    static Map<Integer, String> parseNodes(String spec, boolean ipc) {
        Map<Integer, String> nodes = new TreeMap<>();
        for (String e : spec.split(",")) {
            String t = e.trim();
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq < 1 && !(ipc && eq < 0)) {
                throw new InitializationException("network", "nodes entry '" + t + "' is not id=host:port" + (ipc ? " (or id with ipc)" : ""));
            }
            String id = eq < 0 ? t : t.substring(0, eq).trim();
            try {
                if (nodes.put(Integer.parseInt(id), eq < 0 ? "ipc" : t.substring(eq + 1).trim()) != null) {
                    throw new InitializationException("network", "nodes entry '" + t + "': node " + id + " is listed twice");
                }
            } catch (NumberFormatException ex) {
                throw new InitializationException("network", "nodes entry '" + t + "': the id is not a number");
            }
        }
        return nodes;
    }

    /** The shared driver's directory: aeron.dir, or /dev/shm/chronofabric-network (tmpdir without /dev/shm). */
    static File ipcDir(String configured) {
        if (configured != null && !configured.isBlank()) {
            return new File(configured.trim());
        }
        File shm = new File("/dev/shm");
        return new File(shm.isDirectory() ? shm : new File(System.getProperty("java.io.tmpdir")), "chronofabric-network");
    }

}

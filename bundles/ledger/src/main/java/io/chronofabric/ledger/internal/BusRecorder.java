package io.chronofabric.ledger.internal;

import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import io.chronofabric.ledger.record.RecordedPacket;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends the packets of the configured channels ({@code record.channels}) to the ledger as
 * {@link RecordedPacket}s. Each channel is a whiteboard {@link PacketHandler} service, so the bus
 * re-attaches the recorder whenever it restarts. Records nothing until channels are configured.
 *
 * <p><b>The bus never waits for the disk.</b> A handler only puts the packet into the recorder's
 * bounded, lock-free queue ({@code record.queue.capacity}) and returns; no encoding, I/O or fsync
 * runs on a bus dispatcher thread. The recorder's own writer thread takes everything queued and
 * appends it with one {@link SecureImmutableLedger#appendBatch} call (group commit).
 *
 * <p><b>{@code fsync=every-append} under group commit.</b> Each batch is one write and one fsync.
 * Every entry of a batch is fsynced before the writer takes the next batch, before the entry
 * counts as recorded, and before a drain (a stop, or the ledger going away) reports it written;
 * nothing is counted or reported before its fsync. What the bus counts as delivered is different:
 * a handler returns once the packet is queued in memory, so a crash of the process loses the
 * packets still queued (in steady state those that arrived during the last fsync), while before
 * this change the bus dispatcher paid one fsync per packet for every handler it serves.
 *
 * <p><b>Backpressure.</b> When the queue is full, the handler waits up to
 * {@code record.full.wait.ms} for room, blocking its dispatcher that long at most; if the queue is
 * still full it throws, so the bus dead-letters the packet with the reason. It fails at once,
 * without waiting, when waiting cannot help: while no ledger is bound
 * ({@link io.chronofabric.api.core.ServiceUnavailableException}) or while appends fail (a corrupt
 * ledger, a full disk; {@link io.chronofabric.api.core.ResourceExhaustedException} naming the
 * error), so a broken ledger never holds a dispatcher 100 ms per packet. A packet is never
 * dropped silently: it is appended, or its handler call fails and the bus dead-letters it, or (at
 * a stop that times out) it is logged with its message id.
 *
 * <p><b>Configuration and restarts lose nothing queued.</b> A change of the recorded channels
 * registers and unregisters only the channels that changed; a new queue capacity moves producers
 * at once to a new queue, and the writer drains the old one before it takes from the new one. The
 * ledger reference is dynamic, greedy and optional: when the ledger service goes away (its bundle
 * stops or is updated), the recorder first appends what is queued to it (it is still usable while
 * it is being unbound), for up to {@code record.drain.timeout.ms}; later packets wait in the
 * queue, up to its bound, for the next ledger. When the ledger reopens in place (a change of its
 * own keys), appends that meet it closed fail and the writer retries the same batch, in order. The bus is not referenced at all (whiteboard), so a bus
 * restart does not touch the queue. A stop drains the queue within {@code record.drain.timeout.ms}
 * and logs every packet it could not write (count, channels, message ids); packets that arrive
 * after the stop began are refused, so the bus dead-letters them.
 *
 * <p>Payloads are encoded on the writer thread, after the handler returned: as everywhere on the
 * bus, they must not change after publish.
 */
@Component(name = "io.chronofabric.ledger.recorder", configurationPid = LedgerConfig.PID, immediate = true, service = {})
public final class BusRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(BusRecorder.class);
    static final int MIN_CAPACITY = 16;
    static final int MAX_CAPACITY = 1 << 22;

    private final RecorderWriter writer;
    private final Map<String, ServiceRegistration<?>> registrations = new LinkedHashMap<>();
    private BundleContext context;
    private volatile long drainTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(5000);

    public BusRecorder() {
        this((p, channel) -> RecordedPacket.of(p, channel).encode());
    }

    BusRecorder(RecorderWriter.Encoder encoder) {
        this.writer = new RecorderWriter(encoder, "chronofabric-ledger-recorder");
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindLedger(SecureImmutableLedger ledger) {
        writer.bind(ledger);
    }

    void unbindLedger(SecureImmutableLedger ledger) {
        long queued = writer.queued();
        RecorderWriter.Drain d = writer.release(ledger, drainTimeoutNanos);
        if (!d.complete()) {
            LOG.warn("The ledger went away before the recorder could append {} of the {} packets queued; they wait for the next ledger",
                    d.unwritten(), queued);
        }
    }

    @Activate
    synchronized void activate(BundleContext bc, LedgerConfig config) {
        this.context = bc;
        Settings s = settings(config);
        drainTimeoutNanos = s.drainTimeoutNanos;
        writer.start(s.capacity, s.fullWaitNanos);
        apply(s.channels);
    }

    @Modified
    synchronized void modified(LedgerConfig config) {
        Settings s = settings(config);
        drainTimeoutNanos = s.drainTimeoutNanos;
        writer.fullWait(s.fullWaitNanos);
        writer.resize(s.capacity);
        apply(s.channels);
    }

    @Deactivate
    synchronized void deactivate() {
        unregister(Set.of());
        long timeout = drainTimeoutNanos;
        RecorderWriter.Drain d = writer.stop(timeout);
        if (!d.complete()) {
            LOG.error("The ledger recorder stopped with {} packets not written within {} ms", d.unwritten(),
                    TimeUnit.NANOSECONDS.toMillis(timeout));
        }
    }

    /** Packets appended (durable under the ledger's fsync policy). */
    long recorded() {
        return writer.recorded();
    }

    /** Packets accepted and not yet appended. */
    long queued() {
        return writer.queued();
    }

    /** Successful appendBatch calls. */
    long batches() {
        return writer.batches();
    }

    long committed() {
        return writer.committed();
    }

    long refusedFull() {
        return writer.refusedFull();
    }

    private record Settings(Set<String> channels, int capacity, long fullWaitNanos, long drainTimeoutNanos) {
    }

    private static Settings settings(LedgerConfig config) {
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
        int capacity = config.record_queue_capacity();
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) {
            LOG.error("Refused configuration {}: record.queue.capacity={} is not in {}..{}; using 65536", LedgerConfig.PID, capacity,
                    MIN_CAPACITY, MAX_CAPACITY);
            capacity = 65536;
        }
        long wait = config.record_full_wait_ms();
        if (wait < 0) {
            LOG.error("Refused configuration {}: record.full.wait.ms={} is negative; using 100", LedgerConfig.PID, wait);
            wait = 100;
        }
        long drain = config.record_drain_timeout_ms();
        if (drain < 0) {
            LOG.error("Refused configuration {}: record.drain.timeout.ms={} is negative; using 5000", LedgerConfig.PID, drain);
            drain = 5000;
        }
        return new Settings(channels, capacity, TimeUnit.MILLISECONDS.toNanos(wait), TimeUnit.MILLISECONDS.toNanos(drain));
    }

    /** Registers a handler for each new channel and unregisters those no longer configured; the others keep their subscription. */
    private void apply(Set<String> channels) {
        unregister(channels);
        Set<String> added = new LinkedHashSet<>();
        for (String channel : channels) {
            if (registrations.containsKey(channel)) {
                continue;
            }
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(PacketHandler.CHANNEL, channel);
            props.put("chronofabric.recorder", true);
            registrations.put(channel, context.registerService(PacketHandler.class, new ChannelHandler(writer, channel), props));
            added.add(channel);
        }
        if (!added.isEmpty()) {
            LOG.info("Recording bus channels {} into the ledger", registrations.keySet());
        }
    }

    private void unregister(Set<String> keep) {
        Iterator<Map.Entry<String, ServiceRegistration<?>>> it = registrations.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, ServiceRegistration<?>> e = it.next();
            if (keep.contains(e.getKey())) {
                continue;
            }
            try {
                e.getValue().unregister();
            } catch (IllegalStateException ex) {
                // already gone with the bundle
            }
            it.remove();
            LOG.info("No longer recording bus channel {}", e.getKey());
        }
    }

    /** One channel's whiteboard handler: queues and returns. */
    private static final class ChannelHandler implements PacketHandler<Object> {
        private final RecorderWriter writer;
        private final String channel;

        ChannelHandler(RecorderWriter writer, String channel) {
            this.writer = writer;
            this.channel = channel;
        }

        @Override
        public void onPacket(PhasePacket<Object> packet) {
            writer.record(packet, channel);
        }

        @Override
        public String toString() {
            return "ledger recorder of channel " + channel;
        }
    }
}

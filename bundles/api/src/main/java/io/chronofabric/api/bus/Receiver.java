package io.chronofabric.api.bus;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A pull-style subscription: the bus queues matching packets here (bounded by the configured
 * queue capacity) and the owner takes them.
 *
 * <p>Single consumer: one thread at a time may poll/take/drain; a second thread that polls while
 * another is inside a poll gets {@link IllegalStateException}. {@link #close()} may be called from
 * any thread, is idempotent, and unsubscribes; packets still queued then go to the bus's
 * dead-letter log (guaranteed ones) or are counted as dropped (best effort), never delivered twice.
 * The bus closes its receivers when it stops; {@link #closeReason()} says why.
 *
 * @param <T> payload type
 */
@ProviderType
public interface Receiver<T> extends AutoCloseable {

    SubscriptionId id();

    /** The next packet in priority then publish order, or null if none is queued. */
    PhasePacket<T> poll();

    /**
     * Waits up to {@code timeout} for a packet.
     *
     * @return the packet, or null on timeout or when the receiver is closed
     * @throws InterruptedException if interrupted while waiting
     */
    PhasePacket<T> take(long timeout, TimeUnit unit) throws InterruptedException;

    /** Hands up to {@code max} queued packets to {@code sink}; returns how many. */
    int drain(Consumer<? super PhasePacket<T>> sink, int max);

    /** Packets queued now. */
    int size();

    boolean isClosed();

    @Override
    void close();

    /**
     * Why the receiver is closed ("closed by its owner", "the bus stopped", ...), or null while
     * it is open.
     */
    String closeReason();
}

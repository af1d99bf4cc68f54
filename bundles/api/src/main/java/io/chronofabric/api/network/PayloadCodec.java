package io.chronofabric.api.network;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns payloads of one type into bytes and back, for packets bridged between nodes. Register it
 * as an OSGi service (whiteboard); every node that sends or receives the type needs the same
 * codec under the same {@link #name()}.
 *
 * <p><b>Contract.</b> {@code decode(encode(p))} equals {@code p}. Both methods are called from
 * the network's threads, concurrently: implementations are thread-safe and stateless. A method
 * that cannot do its work throws {@link IllegalArgumentException} naming what was wrong.
 *
 * @param <T> the payload type
 */
@ConsumerType
public interface PayloadCodec<T> {

    /** The payload class handled (exactly: subclasses need their own codec). */
    Class<T> type();

    /** The name on the wire, the same on every node, e.g. {@code "com.example.Order/1"}. */
    String name();

    byte[] encode(T payload);

    T decode(byte[] bytes);
}

package io.chronofabric.ledger.internal;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** A BundleContext that only registers whiteboard handlers, typed configurations, and ledgers that block on demand. */
final class RecorderTestSupport {

    private RecorderTestSupport() {
    }

    /** Entries are {@code channel|payload}: what the tests check, without the bus's stamping. */
    static final RecorderWriter.Encoder ENCODER =
            (p, channel) -> (channel + "|" + p.payload()).getBytes(StandardCharsets.UTF_8);

    static PhasePacket<Object> packet(Object payload, String channel) {
        return PhasePacket.builder(payload).channel(channel).build();
    }

    static String text(byte[] entry) {
        return new String(entry, StandardCharsets.UTF_8);
    }

    /** The handlers registered through the context, by channel. */
    static final class FakeContext {
        final Map<String, PacketHandler<Object>> handlers = new ConcurrentHashMap<>();
        final List<String> registered = new CopyOnWriteArrayList<>();
        final List<String> unregistered = new CopyOnWriteArrayList<>();
        final BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, this::invoke);

        @SuppressWarnings("unchecked")
        private Object invoke(Object proxy, Method m, Object[] args) {
            if (m.getName().equals("registerService") && args.length == 3 && args[2] instanceof Dictionary<?, ?> props) {
                String channel = (String) props.get(PacketHandler.CHANNEL);
                handlers.put(channel, (PacketHandler<Object>) args[1]);
                registered.add(channel);
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                        (p, rm, ra) -> {
                            if (rm.getName().equals("unregister")) {
                                handlers.remove(channel);
                                unregistered.add(channel);
                                return null;
                            }
                            return objectMethod(p, rm, ra);
                        });
            }
            if (m.getName().equals("getProperty")) {
                return null;
            }
            return objectMethod(proxy, m, args);
        }

        PacketHandler<Object> handler(String channel) {
            PacketHandler<Object> h = handlers.get(channel);
            if (h == null) {
                throw new AssertionError("No handler registered for channel " + channel + "; registered: " + handlers.keySet());
            }
            return h;
        }
    }

    private static Object objectMethod(Object proxy, Method m, Object[] args) {
        return switch (m.getName()) {
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "fake " + m.getDeclaringClass().getSimpleName();
            default -> throw new UnsupportedOperationException(m.getName());
        };
    }

    /** A LedgerConfig with the defaults except the keys given (by method name, e.g. "record_channels"). */
    static LedgerConfig config(Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        InvocationHandler h = (proxy, m, args) -> {
            if (values.containsKey(m.getName())) {
                return values.get(m.getName());
            }
            if (m.getDefaultValue() != null) {
                return m.getDefaultValue();
            }
            return objectMethod(proxy, m, args);
        };
        return (LedgerConfig) Proxy.newProxyInstance(LedgerConfig.class.getClassLoader(), new Class<?>[] {LedgerConfig.class}, h);
    }

    /**
     * Delegates to a ledger; while the gate is closed, an append waits inside (as a slow fsync
     * would) until it opens. Records the size of every batch that reached the delegate.
     */
    static final class GatedLedger implements SecureImmutableLedger {
        final SecureImmutableLedger delegate;
        final List<Integer> batches = new CopyOnWriteArrayList<>();
        final List<String> appended = new CopyOnWriteArrayList<>();
        volatile CountDownLatch gate = new CountDownLatch(0);
        final CountDownLatch entered = new CountDownLatch(1);
        volatile boolean inside;

        GatedLedger(SecureImmutableLedger delegate) {
            this.delegate = delegate;
        }

        /** The next appends wait until {@link #open()}. */
        void close() {
            gate = new CountDownLatch(1);
        }

        void open() {
            gate.countDown();
        }

        boolean awaitEntered() throws InterruptedException {
            return entered.await(10, TimeUnit.SECONDS);
        }

        @Override
        public long append(byte[] entry) {
            return appendBatch(List.of(entry));
        }

        @Override
        public long appendBatch(List<byte[]> entries) {
            inside = true;
            entered.countDown();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("test gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                long first = delegate == null ? appended.size() : delegate.appendBatch(entries);
                batches.add(entries.size());
                for (byte[] e : entries) {
                    appended.add(text(e));
                }
                return first;
            } finally {
                inside = false;
            }
        }

        @Override
        public long size() {
            return delegate == null ? appended.size() : delegate.size();
        }

        @Override
        public byte[] get(long index) {
            return delegate.get(index);
        }

        @Override
        public byte[] rootHash() {
            return delegate.rootHash();
        }

        @Override
        public byte[] rootHash(long treeSize) {
            return delegate.rootHash(treeSize);
        }

        @Override
        public io.chronofabric.api.ledger.SignedTreeHead signedTreeHead() {
            return delegate.signedTreeHead();
        }

        @Override
        public io.chronofabric.api.ledger.InclusionProof inclusionProof(long leafIndex, long treeSize) {
            return delegate.inclusionProof(leafIndex, treeSize);
        }

        @Override
        public io.chronofabric.api.ledger.ConsistencyProof consistencyProof(long oldSize, long newSize) {
            return delegate.consistencyProof(oldSize, newSize);
        }

        @Override
        public io.chronofabric.api.ledger.VerificationReport verify() {
            return delegate.verify();
        }

        @Override
        public java.security.PublicKey publicKey() {
            return delegate.publicKey();
        }
    }

    /** Every entry of a ledger as text. */
    static List<String> entries(SecureImmutableLedger l) {
        List<String> out = new ArrayList<>();
        for (long i = 0; i < l.size(); i++) {
            out.add(text(l.get(i)));
        }
        return out;
    }
}

package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.ChannelLimit;
import io.chronofabric.api.bus.ChannelThrottle;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.core.ResourceExhaustedException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus's per-channel rate limits ({@link ChannelThrottle}): one GCRA cell per limited channel
 * (the generic cell rate algorithm, ITU-T I.371; equivalent to a token bucket of {@code burst}
 * tokens refilled at the rate): a "theoretical arrival time" {@code tat} in one {@link AtomicLong}.
 * A packet arriving at {@code now} conforms when {@code max(tat, now) - now <= tolerance}
 * ({@code tolerance = (burst - 1) x interval}, {@code interval = 1 s / rate}); then
 * {@code tat = max(tat, now) + interval}, by compare-and-set, no lock. A guaranteed publish that does
 * not conform reserves the next slot the same way and waits until it comes, so waiting publishers
 * are served in arrival order and the rate holds for them too.
 *
 * <p>The bus reads one volatile field for all this ({@link #attach}: the bus's field is null while
 * no channel has a limit); with limits, a packet on a channel without one costs a map lookup.
 * Times are the bus's time source; waits are parked on the JVM's monotonic clock ({@link Sleeper}).
 */
final class ChannelLimits implements ChannelThrottle {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelLimits.class);

    /**
     * The smallest rate a limit may have, packets per second (one packet in 1000 s): below it the
     * GCRA arithmetic in nanoseconds ({@code (burst - 1) x interval}) could overflow a long for the
     * largest bursts. {@link #limit} refuses smaller rates naming the rate and this minimum.
     */
    static final double MIN_RATE = 0.001;

    /**
     * How much further ahead than any reservation the theoretical arrival time must be before
     * {@code take} re-bases it on the time source (1 s): a publisher whose reading of now is stale
     * (preempted between reading and taking) must not look like a clock that went back.
     */
    static final long REBASE_SLACK = 1_000_000_000L;

    /** {@link #admit}: a best-effort packet over the limit, to be dropped and counted. */
    static final long DROP = -1;

    /** How a publisher waits for its slot; tests pass one that advances a simulated clock. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long nanos);

        /**
         * Waits for the slot, or until the channel's limit is lifted ({@link Counts#lifted}).
         *
         * @return false when an interrupt ended the wait (the flag stays set)
         */
        default boolean await(long nanos, Counts counts) {
            sleep(nanos);
            return !Thread.currentThread().isInterrupted();
        }
    }

    /**
     * Parks until the monotonic clock has moved {@code nanos} or the limit is lifted ({@link #clear}
     * unparks the waiters); an interrupt ends the wait early (the flag stays set).
     */
    static final Sleeper PARK = new Sleeper() {
        @Override
        public void sleep(long nanos) {
            await(nanos, null);
        }

        @Override
        public boolean await(long nanos, Counts counts) {
            long end = System.nanoTime() + nanos;
            long left;
            while ((left = end - System.nanoTime()) > 0) {
                if (counts != null && counts.lifted) {
                    return true;
                }
                LockSupport.parkNanos(left);
                if (Thread.currentThread().isInterrupted()) {
                    return false;
                }
            }
            return true;
        }
    };

    /** Counts of a channel, kept when its limit is replaced. */
    static final class Counts {
        final LongAdder admitted = new LongAdder();
        final LongAdder delayed = new LongAdder();
        final LongAdder refused = new LongAdder();
        final AtomicInteger waiting = new AtomicInteger();
        /** Publishers waiting for a slot (woken when the limit is lifted). */
        final java.util.Set<Thread> waiters = ConcurrentHashMap.newKeySet();
        /** Set by {@link #clear}: waiters go on at once. */
        volatile boolean lifted;
    }

    /** One channel's limit and its GCRA state. */
    static final class Limit {
        final String channel;
        final double rate;
        final int burst;
        final String reason;
        /** Nanoseconds between packets at the sustained rate, at least 1. */
        final long interval;
        /** How far ahead of now the theoretical arrival time may be for a packet to pass: (burst - 1) x interval. */
        final long tolerance;
        /** Theoretical arrival time; far in the past at first (a full burst). */
        final AtomicLong tat;
        /**
         * The longest wait a publisher was granted (a reservation ahead of its time): tat can be
         * at most {@code tolerance + interval + longestWait} ahead of now unless the time source went back.
         */
        final AtomicLong longestWait;
        final Counts counts;

        Limit(String channel, double rate, int burst, String reason, Counts counts) {
            this(channel, rate, burst, reason, counts, null);
        }

        /** @param previous the limit this one replaces (its tat and granted waits carry over), or null for a full burst */
        Limit(String channel, double rate, int burst, String reason, Counts counts, Limit previous) {
            this.channel = channel;
            this.rate = rate;
            this.burst = burst;
            this.reason = reason;
            this.interval = Math.max(1, Math.round(1e9 / rate));
            this.tolerance = Math.multiplyExact(burst - 1L, interval); // cannot overflow for rate >= MIN_RATE, burst <= MAX_BURST
            this.counts = counts;
            this.tat = new AtomicLong(previous == null ? Long.MIN_VALUE / 4 : previous.tat.get());
            this.longestWait = new AtomicLong(previous == null ? 0 : previous.longestWait.get());
        }

        /**
         * Takes the next slot if it comes within {@code maxWait} nanoseconds of {@code now}.
         *
         * @return the wait until the slot (0: at once), or {@code -(wait + 1)} when that is more than maxWait (nothing taken)
         */
        long take(long now, long maxWait) {
            while (true) {
                long t = tat.get();
                if (t - now > tolerance + interval + longestWait.get() + REBASE_SLACK) {
                    // further ahead than any reservation could put it: the time source was replaced by one reading
                    // earlier (e.g. a simulated clock at 0); tat is in the old clock's terms: re-base on this one
                    if (tat.compareAndSet(t, now)) {
                        LOG.info("Channel {}: rate limit re-based on the time source (it reads {} ms before the limit's schedule)",
                                channel, (t - now) / 1_000_000);
                    }
                    continue;
                }
                long base = Math.max(t, now);
                long wait = Math.max(0, base - tolerance - now);
                if (wait > maxWait) {
                    return -wait - 1;
                }
                if (wait > longestWait.get()) {
                    longestWait.accumulateAndGet(wait, Math::max); // before the slot is taken: others never see tat past the bound
                }
                if (tat.compareAndSet(t, base + interval)) {
                    return wait;
                }
            }
        }

        ChannelLimit view() {
            return new ChannelLimit(channel, rate, burst, reason, counts.admitted.sum(), counts.delayed.sum(), counts.waiting.get(),
                    counts.refused.sum());
        }
    }

    private final ConcurrentHashMap<String, Limit> limits = new ConcurrentHashMap<>();
    private final Sleeper sleeper;
    private Consumer<ChannelLimits> target = t -> { }; // guarded by this

    ChannelLimits() {
        this(PARK);
    }

    ChannelLimits(Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Tells {@code bus} this object while a limit exists and null while none does, now and after each change. */
    synchronized void attach(Consumer<ChannelLimits> bus) {
        target = Objects.requireNonNull(bus, "bus");
        bus.accept(limits.isEmpty() ? null : this);
    }

    /** Stops telling the bus (it is closing); its field is set to null. */
    synchronized void detach() {
        target.accept(null);
        target = t -> { };
    }

    // ---------------------------------------------------------------- publish path

    /**
     * For {@code publish}: admits the packet, waiting for its slot when it is guaranteed.
     *
     * @param now          the bus's time now
     * @param deadline     the packet's deadline, or {@link RoutingMetadata#NO_DEADLINE}
     * @param timeoutNanos the packet's delivery timeout
     * @return 0 admitted at once; &gt; 0 admitted after waiting that many nanoseconds; {@link #DROP} a
     *         best-effort packet over the limit
     * @throws ResourceExhaustedException a guaranteed packet whose slot comes after its timeout or deadline
     */
    long admit(PhasePacket<?> p, long now, long deadline, long timeoutNanos) {
        String channel = p.channel();
        Limit l = channel == null ? null : limits.get(channel);
        if (l == null) {
            return 0;
        }
        boolean guaranteed = p.delivery().isGuaranteed();
        long budget = 0;
        if (guaranteed) {
            budget = deadline == RoutingMetadata.NO_DEADLINE ? timeoutNanos : Math.min(timeoutNanos, deadline - now);
        }
        long wait = l.take(now, Math.max(0, budget));
        if (wait == 0) {
            l.counts.admitted.increment();
            return 0;
        }
        if (wait < 0) {
            l.counts.refused.increment();
            if (!guaranteed) {
                return DROP;
            }
            long needed = -wait - 1;
            boolean byDeadline = deadline != RoutingMetadata.NO_DEADLINE && deadline - now < timeoutNanos;
            throw new ResourceExhaustedException("channel rate limit", "channel '" + channel + "' is limited to " + describe(l)
                    + (l.reason.isEmpty() ? "" : " (set by " + l.reason + ")") + "; this guaranteed packet would have waited " + millis(needed) + " for its turn, longer than "
                    + (byDeadline ? "the " + millis(Math.max(0, deadline - now)) + " left to its deadline" : "its delivery timeout of "
                            + millis(timeoutNanos)) + "; not published (nothing was queued)");
        }
        l.counts.delayed.increment();
        l.counts.waiting.incrementAndGet();
        Thread me = Thread.currentThread();
        l.counts.waiters.add(me);
        boolean slept;
        try {
            slept = l.counts.lifted || sleeper.await(wait, l.counts);
        } finally {
            l.counts.waiters.remove(me);
            l.counts.waiting.decrementAndGet();
        }
        if (!slept) {
            l.counts.refused.increment();
            throw new ResourceExhaustedException("channel rate limit", "interrupted while waiting " + millis(wait) + " for its turn on channel '"
                    + channel + "' (limited to " + describe(l) + "); this guaranteed packet was not published (nothing was queued; "
                    + "the thread's interrupt flag is kept)");
        }
        return wait;
    }

    /** For {@code tryPublish}: whether the packet may pass now (never waits); a refusal is counted. */
    boolean tryAdmit(PhasePacket<?> p, long now) {
        String channel = p.channel();
        Limit l = channel == null ? null : limits.get(channel);
        if (l == null) {
            return true;
        }
        if (l.take(now, 0) == 0) {
            l.counts.admitted.increment();
            return true;
        }
        l.counts.refused.increment();
        return false;
    }

    // ---------------------------------------------------------------- ChannelThrottle

    @Override
    public synchronized ChannelLimit limit(String channel, double packetsPerSecond, int burst, String reason) {
        if (channel == null || channel.isBlank()) {
            throw new IllegalArgumentException("Rate limit channel is empty");
        }
        if (!(packetsPerSecond >= MIN_RATE && packetsPerSecond <= MAX_RATE)) {
            throw new IllegalArgumentException("Rate limit of channel '" + channel + "': " + packetsPerSecond
                    + " packets/s is outside [" + MIN_RATE + " (the minimum: one packet in 1000 s), " + (long) MAX_RATE + "]");
        }
        if (burst < 1 || burst > MAX_BURST) {
            throw new IllegalArgumentException("Rate limit of channel '" + channel + "': burst " + burst + " is outside 1.." + MAX_BURST);
        }
        Objects.requireNonNull(reason, "reason");
        Limit old = limits.get(channel);
        // a replacement keeps the bucket: the old tat (waiters' reservations, the burst already used) carries over
        Limit l = new Limit(channel, packetsPerSecond, burst, reason, old == null ? new Counts() : old.counts, old);
        limits.put(channel, l);
        LOG.info("Channel {} limited to {}{}{}", channel, describe(l), reason.isEmpty() ? "" : " (" + reason + ")",
                old == null ? "" : "; was " + describe(old));
        if (old == null && limits.size() == 1) {
            target.accept(this);
        }
        return l.view();
    }

    @Override
    public synchronized Optional<ChannelLimit> clear(String channel) {
        Limit l = channel == null ? null : limits.remove(channel);
        if (l == null) {
            return Optional.empty();
        }
        l.counts.lifted = true; // publishers waiting for a slot go on at once
        for (Thread t : l.counts.waiters) {
            LockSupport.unpark(t);
        }
        LOG.info("Channel {}: rate limit {} lifted ({} admitted, {} delayed, {} refused)", channel, describe(l), l.counts.admitted.sum(),
                l.counts.delayed.sum(), l.counts.refused.sum());
        if (limits.isEmpty()) {
            target.accept(null);
        }
        return Optional.of(l.view());
    }

    @Override
    public Optional<ChannelLimit> limitOf(String channel) {
        Limit l = channel == null ? null : limits.get(channel);
        return l == null ? Optional.empty() : Optional.of(l.view());
    }

    @Override
    public List<ChannelLimit> limits() {
        List<ChannelLimit> out = new ArrayList<>();
        for (Limit l : limits.values()) {
            out.add(l.view());
        }
        out.sort(Comparator.comparing(ChannelLimit::channel));
        return out;
    }

    static String describe(Limit l) {
        return rate(l.rate) + " packets/s, burst " + l.burst;
    }

    static String rate(double r) {
        return r == Math.rint(r) && r < 1e15 ? Long.toString((long) r) : java.math.BigDecimal.valueOf(r).round(new java.math.MathContext(6))
                .stripTrailingZeros().toPlainString();
    }

    private static String millis(long nanos) {
        return nanos >= TimeUnit.MILLISECONDS.toNanos(10) ? TimeUnit.NANOSECONDS.toMillis(nanos) + " ms"
                : String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }
}

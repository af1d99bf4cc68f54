package io.chronofabric.clogic.adp.internal;

import io.chronofabric.api.adp.AdpStats;
import io.chronofabric.api.adp.PlaceInfo;
import io.chronofabric.api.adp.WorkUnit;
import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.clogic.adp.internal.bandit.Bandit;
import io.chronofabric.clogic.adp.internal.bandit.Exp3;
import io.chronofabric.clogic.adp.internal.bandit.LinUcb;
import io.chronofabric.clogic.adp.internal.bandit.PowerOfDChoices;
import io.chronofabric.clogic.adp.internal.bandit.Thompson;
import io.chronofabric.clogic.adp.internal.bandit.Ucb1;
import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * ADP's decisions: up to {@value #MAX_PLACES} place slots (a place keeps its slot, and its statistics,
 * by name while it comes and goes), the bandit of the configured policy over the slots, LinUCB for
 * units with features, the constraints from governance, the rewards and the regret estimate.
 *
 * <p>Concurrency (single writer principle). All model state (the bandit, LinUCB, the per-place
 * statistics, the totals credited by outcomes, the slots' governance state) has one writer at a time:
 * the holder of the {@link StampedLock}'s write mode. A decision never takes it: it reads under an
 * optimistic stamp (the place scan, the policy's choice, which read the state and write none of it; a
 * policy's random draws come from the deciding thread's own generator), then validates the stamp;
 * when a writer came in between it computes again (after {@value #OPTIMISTIC_TRIES} invalidated tries it
 * takes the read mode, which waits only for a writer in progress). What a decision writes is atomic: the
 * chosen place's in-flight count (a compare-and-set that keeps the cap exact), striped counters for the
 * choice totals. An outcome ({@link #finish}) never waits either: it frees the in-flight count at once
 * (atomic); when the write mode is free ({@code tryWriteLock}) it credits the outcome itself (after any
 * older queued ones), else it pushes its ticket on a lock-free multi-producer stack (the ticket is the
 * node: nothing allocated) and whoever next gets the write mode without waiting folds the queue into
 * the model, in arrival order: the writer that was busy (each writer looks at the queue again after it
 * unlocks, so no outcome is stranded), the next finisher or the next decider. Views and control
 * operations take the write mode (they may wait; not hot paths) and fold first, so their totals are
 * exact.
 *
 * <p>Consistency a decision gets: a consistent snapshot of the model as of the last fold (the stamp
 * guarantees no torn or mixed state, so LinUCB's matrices and EXP3's weights are read whole). Outcomes
 * still queued are not yet in it: UCB1, Thompson and EXP3 then decide on counts a few outcomes old, which
 * their regret bounds tolerate (a delayed-feedback bandit; Joulani, Gyorgy &amp; Szepesvari 2013: the
 * regret grows by an additive term in the delay); power-of-d reads in-flight counts exactly and the
 * places' own queue lengths as of the last tick.
 */
final class AdpEngine {

    static final int MAX_PLACES = 64;
    static final int OPTIMISTIC_TRIES = 4;

    enum Policy {
        UCB1("ucb1"), THOMPSON("thompson"), EXP3("exp3"), POWER_OF_D("power-of-d");

        final String label;

        Policy(String label) {
            this.label = label;
        }

        static Policy parse(String s) {
            String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
            for (Policy p : values()) {
                if (p.label.equals(v) || p.name().toLowerCase(Locale.ROOT).equals(v)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("policy '" + s + "' is not one of ucb1, thompson, exp3, power-of-d");
        }
    }

    /** The settings of one configuration; validated by the constructor. */
    record Settings(Policy policy, double exploration, double arousalGain, double exp3Gamma, double exp3Share, int d, int features,
            double linucbAlpha, double rewardLatencyNanos, int maxInFlight, double changepointDiscount, long seed) {
        Settings {
            check(exploration >= 0 && Double.isFinite(exploration), "exploration " + exploration + " must be a finite number >= 0");
            check(arousalGain >= 0 && Double.isFinite(arousalGain), "arousal.gain " + arousalGain + " must be a finite number >= 0");
            check(exp3Gamma > 0 && exp3Gamma <= 1, "exp3.gamma " + exp3Gamma + " must be in (0, 1]");
            check(exp3Share >= 0 && exp3Share < 1, "exp3.share " + exp3Share + " must be in [0, 1)");
            check(d >= 1 && d <= 64, "power.d " + d + " must be in 1..64");
            check(features >= 1 && features <= 64, "linucb.features " + features + " must be in 1..64");
            check(linucbAlpha >= 0 && Double.isFinite(linucbAlpha), "linucb.alpha " + linucbAlpha + " must be a finite number >= 0");
            check(rewardLatencyNanos > 0 && Double.isFinite(rewardLatencyNanos), "reward.latency.ms must be a finite number > 0");
            check(maxInFlight >= 1 && maxInFlight <= 1_000_000, "place.max.inflight " + maxInFlight + " must be in 1..1000000");
            check(changepointDiscount > 0 && changepointDiscount <= 1, "changepoint.discount " + changepointDiscount + " must be in (0, 1]");
        }

        static Settings defaults() {
            return new Settings(Policy.UCB1, 1, 1, 0.1, 0.001, 2, 3, 1, 10e6, 64, 0.5, 1);
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    /**
     * One decision: where a unit went, with what it takes to credit its reward. Filled by
     * {@link #decide}; queued by {@link #finish} until its outcome is folded (it is the queue's node). A
     * ticket may be reused after its outcome (a decision on a ticket still queued folds first).
     */
    static class Ticket {
        int slot = -1;
        Place place;
        boolean contextual;
        double probability = 1;
        int pool = 1;
        double[] context;
        /** The slot's record it was counted in (a slot reused by another place later is a new record). */
        Slot counted;
        long outLatency;
        boolean outOk;
        boolean outMissed;
        Ticket nextOutcome;
        volatile boolean queued;
    }

    /** A deciding thread's own scratch: the policy's random draws, the candidate lists, EXP3's p and K. */
    private static final class Scratch {
        final SplittableRandom random;
        final int[] candidates = new int[MAX_PLACES];
        final int[] queues = new int[MAX_PLACES];
        final Bandit.Selection selection = new Bandit.Selection();

        Scratch(SplittableRandom random) {
            this.random = random;
        }
    }

    static final class Slot {
        final String name;
        String kind;
        Place place;
        final LongAdder choices = new LongAdder();
        long finished;
        double rewardSum;
        double latencySum;
        long failures;
        long misses;
        final AtomicInteger inFlight = new AtomicInteger();
        int queue;
        String excluded = "";
        int cap = Integer.MAX_VALUE;
        double rate = 1;
        long lastSeenNanos;

        Slot(String name, String kind) {
            this.name = name;
            this.kind = kind;
        }

        double mean() {
            return finished == 0 ? Double.NaN : rewardSum / finished;
        }
    }

    private final StampedLock lock = new StampedLock();
    /** Finished tickets not yet folded, newest first (a Treiber stack; the fold reverses it). */
    private final AtomicReference<Ticket> outcomes = new AtomicReference<>();
    private final Slot[] slots = new Slot[MAX_PLACES];
    /** 1 + the highest slot in use: the loops of a decision stop there. */
    private int used;
    /** Per deciding thread; replaced (new seeds from the configured one) when the policy is rebuilt. */
    private volatile ThreadLocal<Scratch> scratch;
    private volatile Settings settings = Settings.defaults();
    // volatile: a decider reading a model the writer just replaced sees it whole (the stamp covers later updates)
    private volatile Bandit bandit;
    private volatile LinUcb linucb;
    private volatile PowerOfDChoices pod;
    private double activation = 0.5;
    private double exploration = 1;
    private final LongAdder submitted = new LongAdder();
    private long completed;
    private long failed;
    private long misses;
    private final LongAdder rejected = new LongAdder();
    private final LongAdder contextual = new LongAdder();
    private long changepoints;
    private double regret;
    private volatile int lastChoice = -1;
    private String lastAlert = "";

    AdpEngine() {
        configure(Settings.defaults());
    }

    /** Runs a control or view operation as the single writer, after folding the queued outcomes (may wait). */
    private <R> R exclusive(Supplier<R> op) {
        long w = lock.writeLock();
        try {
            foldLocked();
            return op.get();
        } finally {
            lock.unlockWrite(w);
            foldPending();
        }
    }

    private void exclusive(Runnable op) {
        exclusive(() -> {
            op.run();
            return null;
        });
    }

    void configure(Settings s) {
        exclusive(() -> configureLocked(s));
    }

    private void configureLocked(Settings s) {
        Settings old = settings;
        boolean rebuild = bandit == null || old.policy() != s.policy() || old.exp3Gamma() != s.exp3Gamma() || old.exp3Share() != s.exp3Share()
                || old.seed() != s.seed() || old.d() != s.d();
        boolean rebuildLin = linucb == null || old.features() != s.features() || old.linucbAlpha() != s.linucbAlpha();
        settings = s;
        if (rebuild) {
            bandit = switch (s.policy()) {
                case THOMPSON -> new Thompson(MAX_PLACES, s.seed());
                case EXP3 -> new Exp3(MAX_PLACES, s.exp3Gamma(), s.exp3Share(), s.seed());
                default -> new Ucb1(MAX_PLACES); // power-of-d keeps UCB1's statistics (shown, and used if the policy changes back)
            };
            pod = new PowerOfDChoices(s.d(), s.seed());
            SplittableRandom seeds = new SplittableRandom(s.seed() ^ 0x5DEECE66DL);
            scratch = ThreadLocal.withInitial(() -> {
                synchronized (seeds) { // once per deciding thread and policy
                    return new Scratch(seeds.split());
                }
            });
            for (int i = 0; i < MAX_PLACES; i++) {
                Slot sl = slots[i];
                if (sl != null) {
                    restoreBandit(i, sl);
                }
            }
        }
        if (rebuildLin) {
            linucb = new LinUcb(MAX_PLACES, s.features() + 1, s.linucbAlpha());
        }
        for (Slot sl : slots) {
            if (sl != null && sl.rate < 1) {
                sl.cap = Math.max(1, (int) Math.floor(sl.rate * s.maxInFlight()));
            } else if (sl != null) {
                sl.cap = s.maxInFlight();
            }
        }
        applyExploration();
    }

    private void restoreBandit(int i, Slot sl) {
        if (bandit instanceof Ucb1 u) {
            u.restore(i, sl.finished, sl.rewardSum);
        } else if (bandit instanceof Thompson t) {
            t.restore(i, sl.rewardSum, sl.finished - sl.rewardSum);
        }
    }

    Settings settings() {
        return exclusive(() -> settings);
    }

    /** EMS arousal: activation in [0, 1], 0.5 neutral. */
    void modulate(double act) {
        exclusive(() -> {
            activation = Math.max(0, Math.min(1, act));
            applyExploration();
        });
    }

    private void applyExploration() {
        double f = settings.exploration() * (1 + settings.arousalGain() * (2 * activation - 1));
        exploration = Math.max(0, Math.min(100, f));
        bandit.exploration(exploration);
        linucb.exploration(exploration);
    }

    double exploration() {
        return exclusive(() -> exploration);
    }

    // ------------------------------------------------------------------ places

    /** Adds (or re-attaches by name) a place. @throws IllegalStateException when all slots hold other places */
    void attach(Place p, long nowNanos) {
        exclusive(() -> attachLocked(p, nowNanos));
    }

    private void attachLocked(Place p, long nowNanos) {
        int free = -1;
        int oldest = -1;
        for (int i = 0; i < MAX_PLACES; i++) {
            Slot s = slots[i];
            if (s == null) {
                if (free < 0) {
                    free = i;
                }
            } else if (s.name.equals(p.name())) {
                s.place = p;
                s.kind = p.kind();
                s.lastSeenNanos = nowNanos;
                return;
            } else if (s.place == null && s.inFlight.get() == 0 && (oldest < 0 || s.lastSeenNanos < slots[oldest].lastSeenNanos)) {
                oldest = i;
            }
        }
        int at = free >= 0 ? free : oldest;
        if (at < 0) {
            throw new IllegalStateException("ADP has " + MAX_PLACES + " places already; place '" + p.name() + "' is not added");
        }
        Slot s = new Slot(p.name(), p.kind());
        s.place = p;
        s.cap = settings.maxInFlight();
        s.lastSeenNanos = nowNanos;
        slots[at] = s;
        used = Math.max(used, at + 1);
        bandit.reset(at);
        linucb.reset(at);
    }

    /** The place went; its slot and statistics stay (by name) until the slot is needed. */
    void detach(Place p, long nowNanos) {
        exclusive(() -> {
            for (Slot s : slots) {
                if (s != null && s.place == p) {
                    s.place = null;
                    s.lastSeenNanos = nowNanos;
                }
            }
        });
    }

    /** Refreshes the places' own queue lengths (ticks; not per decision). */
    void refreshQueues() {
        Place[] ps = new Place[MAX_PLACES];
        exclusive(() -> {
            for (int i = 0; i < MAX_PLACES; i++) {
                ps[i] = slots[i] == null ? null : slots[i].place;
            }
        });
        int[] q = new int[MAX_PLACES];
        for (int i = 0; i < MAX_PLACES; i++) {
            if (ps[i] != null) {
                try {
                    q[i] = Math.max(0, ps[i].queueLength());
                } catch (RuntimeException e) {
                    q[i] = 0;
                }
            }
        }
        exclusive(() -> {
            for (int i = 0; i < MAX_PLACES; i++) {
                if (slots[i] != null && slots[i].place == ps[i]) {
                    slots[i].queue = q[i];
                }
            }
        });
    }

    // ------------------------------------------------------------------ decisions

    /**
     * Chooses a place for the unit and counts it in flight there; fills the ticket. Returns null, or
     * why no place can take the unit (then nothing is counted but the rejection). Takes no lock: an
     * optimistic read of the model, validated (see the class comment); allocation-free.
     */
    String decide(WorkUnit<?> unit, Ticket t) {
        if (t.queued) {
            exclusive(() -> {
            }); // a reused ticket whose outcome is still queued: fold it first (callers that reuse tickets only)
        }
        Scratch sc = scratch().get();
        long full = 0; // places found at their cap between the choice and the count: left out of the retry
        int tries = 0;
        String result;
        while (true) {
            long stamp = tries < OPTIMISTIC_TRIES ? lock.tryOptimisticRead() : lock.readLock();
            if (stamp == 0) { // a writer is at work now: do not compute on what it is changing
                tries++;
                Thread.onSpinWait();
                continue;
            }
            int arm;
            try {
                arm = choose(unit, t, sc, full);
            } catch (RuntimeException e) {
                if (lock.validate(stamp) || tries >= OPTIMISTIC_TRIES) {
                    if (tries >= OPTIMISTIC_TRIES) {
                        lock.unlockRead(stamp);
                    }
                    throw e;
                }
                tries++;
                continue; // an inconsistent read made the choice fail: read again
            }
            Slot s = arm >= 0 ? slots[arm] : null;
            int cap = s == null ? 0 : s.cap;
            Place place = s == null ? null : s.place; // read before the validation: a detach after it cannot leave the ticket without its place
            if (tries >= OPTIMISTIC_TRIES) {
                lock.unlockRead(stamp);
            } else if (!lock.validate(stamp)) {
                tries++;
                continue;
            }
            if (arm < 0) {
                rejected.increment();
                result = exclusive(() -> whyNone(unit));
                break;
            }
            if (!reserve(s, cap)) {
                full |= 1L << arm; // filled up by other deciders since the scan
                continue;
            }
            s.choices.increment();
            submitted.increment();
            if (t.contextual) {
                contextual.increment();
            }
            if (lastChoice != arm) {
                lastChoice = arm;
            }
            t.slot = arm;
            t.place = place;
            t.counted = s;
            t.probability = sc.selection.probability;
            t.pool = sc.selection.pool;
            result = null;
            break;
        }
        foldPending();
        return result;
    }

    private ThreadLocal<Scratch> scratch() {
        ThreadLocal<Scratch> s = scratch;
        if (s == null) { // not yet configured under this thread's view: read it under the lock once
            s = exclusive(() -> scratch);
        }
        return s;
    }

    /** Counts a unit in flight at the slot unless that would pass its cap. */
    private static boolean reserve(Slot s, int cap) {
        AtomicInteger f = s.inFlight;
        for (int n = f.get(); n < cap; n = f.get()) {
            if (f.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /** The policy's choice among the eligible slots (minus {@code full}), or -1: reads only (under a stamp). */
    private int choose(WorkUnit<?> unit, Ticket t, Scratch sc, long full) {
        long mask = 0;
        int n = 0;
        int u = used;
        Slot[] sl = slots;
        int[] candidates = sc.candidates;
        int[] queues = sc.queues;
        for (int i = 0; i < u; i++) {
            Slot s = sl[i];
            if (s == null || (full & (1L << i)) != 0) {
                continue;
            }
            Place p = s.place;
            int f = s.inFlight.get();
            if (p != null && s.excluded.isEmpty() && f < s.cap && p.accepts(unit) && p.unavailableReason().isEmpty()) {
                mask |= 1L << i;
                candidates[n++] = i;
                queues[i] = f + s.queue;
            }
        }
        sc.selection.probability = 1;
        sc.selection.pool = 1;
        t.contextual = false;
        if (n == 0) {
            return -1;
        }
        if (unit.featureCount() > 0) {
            t.contextual = true;
            return linucb.select(t.context, mask);
        } else if (settings.policy() == Policy.POWER_OF_D) {
            return pod.choose(candidates, n, queues, sc.random);
        }
        return bandit.select(mask, sc.random, sc.selection);
    }

    private String whyNone(WorkUnit<?> unit) {
        List<String> why = new ArrayList<>();
        boolean any = false;
        for (Slot s : slots) {
            if (s == null || s.place == null) {
                continue;
            }
            any = true;
            if (!s.place.accepts(unit)) {
                why.add(s.name + ": does not run " + (unit.isCompute() ? "compute calls" : "tasks"));
            } else if (!s.excluded.isEmpty()) {
                why.add(s.name + ": " + s.excluded);
            } else if (s.inFlight.get() >= s.cap) {
                why.add(s.name + ": " + s.inFlight.get() + " in flight, its cap");
            } else {
                why.add(s.name + ": " + s.place.unavailableReason());
            }
        }
        String unitName = "work unit '" + unit.name() + "'";
        return any ? "no place can take " + unitName + " now (" + String.join("; ", why) + ")"
                : "no place is known to ADP for " + unitName + " (no scheduler, local threads, compute backend or WorkPlace service)";
    }

    /**
     * Credits a finished unit: latency in nanoseconds, or a failure (reward 0); a deadline miss is
     * a failure counted as a miss too. Never waits: frees the in-flight count, then credits the outcome
     * itself when the write mode is free (tryWriteLock), else queues it for the writer at work (which
     * folds it when it unlocks) or the next decider.
     */
    void finish(Ticket t, long latencyNanos, boolean ok, boolean missed) {
        Slot s = t.counted;
        if (s == null || t.slot < 0) {
            return; // never counted anywhere
        }
        if (t.queued) {
            exclusive(() -> {
            }); // finished again before its first outcome was folded: fold that one first
        }
        s.inFlight.getAndUpdate(v -> Math.max(0, v - 1));
        t.outLatency = latencyNanos;
        t.outOk = ok;
        t.outMissed = missed;
        long w = lock.tryWriteLock();
        if (w != 0) { // no other writer now: credit it at once, after any older outcomes still queued
            try {
                if (outcomes.get() != null) {
                    foldLocked();
                }
                credit(t);
            } finally {
                lock.unlockWrite(w);
            }
            foldPending();
            return;
        }
        t.queued = true;
        AtomicReference<Ticket> q = outcomes;
        Ticket h;
        do {
            h = q.get();
            t.nextOutcome = h;
        } while (!q.compareAndSet(h, t));
        foldPending();
    }

    /** Folds queued outcomes while the write mode can be had without waiting; a writer busy now folds them when it unlocks. */
    private void foldPending() {
        while (outcomes.get() != null) {
            long w = lock.tryWriteLock();
            if (w == 0) {
                return;
            }
            try {
                foldLocked();
            } finally {
                lock.unlockWrite(w);
            }
        }
    }

    /** The single writer: credits every queued outcome, oldest first. */
    private void foldLocked() {
        Ticket newest = outcomes.getAndSet(null);
        Ticket oldest = null;
        while (newest != null) { // reverse: the stack is newest first
            Ticket next = newest.nextOutcome;
            newest.nextOutcome = oldest;
            oldest = newest;
            newest = next;
        }
        while (oldest != null) {
            Ticket next = oldest.nextOutcome;
            oldest.nextOutcome = null;
            credit(oldest);
            oldest.queued = false;
            oldest = next;
        }
    }

    private void credit(Ticket t) {
        int i = t.slot;
        Slot s = slots[i];
        if (s == null || s != t.counted) {
            return; // the slot went to another place since
        }
        long latencyNanos = t.outLatency;
        boolean ok = t.outOk;
        double reward = ok ? settings.rewardLatencyNanos() / (settings.rewardLatencyNanos() + Math.max(0, latencyNanos)) : 0;
        s.finished++;
        s.rewardSum += reward;
        s.latencySum += Math.max(0, latencyNanos);
        if (ok) {
            completed++;
        } else {
            failed++;
            s.failures++;
        }
        if (t.outMissed) {
            misses++;
            s.misses++;
        }
        if (t.contextual) {
            linucb.update(i, t.context, reward);
        } else {
            bandit.update(i, reward, t.probability, t.pool);
        }
        double best = Double.NEGATIVE_INFINITY;
        int u = used;
        for (int k = 0; k < u; k++) {
            Slot o = slots[k];
            if (o != null && o.place != null && o.excluded.isEmpty() && o.finished > 0) {
                best = Math.max(best, o.rewardSum / o.finished);
            }
        }
        if (best > Double.NEGATIVE_INFINITY) {
            regret += Math.max(0, best - s.mean());
        }
    }

    /** A DRPP change point: old evidence counts less. */
    void changepoint() {
        exclusive(() -> {
            changepoints++;
            double f = settings.changepointDiscount();
            if (f < 1) {
                bandit.discount(f);
                linucb.discount(f);
            }
        });
    }

    long changepoints() {
        return exclusive(() -> changepoints);
    }

    /**
     * Applies a governance decision addressed to ADP: analysis = a place's name or {@code *};
     * DISABLE excludes, ENABLE includes again (and lifts a throttle), SET_RATE v caps the place's
     * in-flight units at max(1, v x place.max.inflight) (v &gt;= 1 lifts the cap), ALERT is recorded.
     * Returns what was done, for the log.
     */
    String govern(GovernanceDecision d) {
        return exclusive(() -> governLocked(d));
    }

    private String governLocked(GovernanceDecision d) {
        if (d.action() == GovernanceAction.ALERT) {
            lastAlert = d.analysis() + " severity " + d.value() + ": " + d.reason();
            return "alert recorded (no constraint)";
        }
        List<String> hit = new ArrayList<>();
        for (Slot s : slots) {
            if (s == null || !(GovernanceDecision.ALL.equals(d.analysis()) || s.name.equals(d.analysis()))) {
                continue;
            }
            hit.add(s.name);
            switch (d.action()) {
                case DISABLE -> s.excluded = "excluded by governance: " + d.reason();
                case ENABLE -> {
                    s.excluded = "";
                    s.rate = 1;
                    s.cap = settings.maxInFlight();
                }
                case SET_RATE -> {
                    s.rate = Math.min(1, d.value());
                    s.cap = s.rate >= 1 ? settings.maxInFlight() : Math.max(1, (int) Math.floor(d.value() * settings.maxInFlight()));
                }
                default -> {
                }
            }
        }
        return hit.isEmpty() ? "no place named '" + d.analysis() + "'" : d.action() + " on " + hit;
    }

    String lastAlert() {
        return exclusive(() -> lastAlert);
    }

    // ------------------------------------------------------------------ views

    List<PlaceInfo> places() {
        return exclusive(this::placesLocked);
    }

    private List<PlaceInfo> placesLocked() {
        List<PlaceInfo> out = new ArrayList<>();
        for (Slot s : slots) {
            if (s == null) {
                continue;
            }
            String status;
            boolean eligible = false;
            if (s.place == null) {
                status = "gone (statistics kept)";
            } else if (!s.excluded.isEmpty()) {
                status = s.excluded;
            } else {
                String u = safeReason(s.place);
                if (!u.isEmpty()) {
                    status = "unavailable: " + u;
                } else if (s.inFlight.get() >= s.cap) {
                    status = "at its cap of " + s.cap + " in flight";
                    eligible = false;
                } else {
                    eligible = true;
                    status = s.cap < settings.maxInFlight() ? "throttled to " + s.cap + " in flight" : "ok";
                }
            }
            out.add(new PlaceInfo(s.name, s.kind, eligible, status, s.choices.sum(), s.mean(), s.finished == 0 ? Double.NaN : s.latencySum / s.finished,
                    s.failures, s.misses, s.inFlight.get(), s.queue));
        }
        return out;
    }

    private static String safeReason(Place p) {
        try {
            return p.unavailableReason();
        } catch (RuntimeException e) {
            return "failed to say: " + e;
        }
    }

    AdpStats stats() {
        return exclusive(this::statsLocked);
    }

    private AdpStats statsLocked() {
        int inFlight = 0;
        for (Slot s : slots) {
            if (s != null) {
                inFlight += s.inFlight.get();
            }
        }
        int last = lastChoice;
        return new AdpStats(settings.policy().label, submitted.sum(), completed, failed, misses, rejected.sum(), inFlight, regret, exploration,
                contextual.sum(), last >= 0 && slots[last] != null ? slots[last].name : "");
    }

    double regret() {
        return exclusive(() -> regret);
    }

    /** Metrics for adp.metrics: totals, then choices.P, reward.P, load.P per place. */
    Map<String, Double> metrics() {
        return exclusive(this::metricsLocked);
    }

    private Map<String, Double> metricsLocked() {
        Map<String, Double> m = new LinkedHashMap<>();
        AdpStats st = statsLocked();
        m.put("submitted", (double) st.submitted());
        m.put("completed", (double) st.completed());
        m.put("failed", (double) st.failed());
        m.put("deadline_misses", (double) st.deadlineMisses());
        m.put("rejected", (double) st.rejected());
        m.put("in_flight", (double) st.inFlight());
        m.put("regret", st.regret());
        m.put("exploration", st.exploration());
        m.put("contextual", (double) st.contextual());
        int places = 0;
        for (Slot s : slots) {
            if (s != null && s.place != null) {
                places++;
                m.put("choices." + s.name, (double) s.choices.sum());
                if (s.finished > 0) {
                    m.put("reward." + s.name, s.mean());
                }
                m.put("load." + s.name, (double) (s.inFlight.get() + s.queue));
            }
        }
        m.put("places", (double) places);
        return m;
    }

    // ------------------------------------------------------------------ snapshot

    Properties snapshot() {
        return exclusive(this::snapshotLocked);
    }

    private Properties snapshotLocked() {
        Properties p = new Properties();
        p.setProperty("submitted", Long.toString(submitted.sum()));
        p.setProperty("completed", Long.toString(completed));
        p.setProperty("failed", Long.toString(failed));
        p.setProperty("misses", Long.toString(misses));
        p.setProperty("rejected", Long.toString(rejected.sum()));
        p.setProperty("contextual", Long.toString(contextual.sum()));
        p.setProperty("regret", Double.toString(regret));
        int k = 0;
        for (Slot s : slots) {
            if (s == null) {
                continue;
            }
            String pre = "place." + k++ + ".";
            p.setProperty(pre + "name", s.name);
            p.setProperty(pre + "kind", s.kind);
            p.setProperty(pre + "choices", Long.toString(s.choices.sum() - s.inFlight.get()));
            p.setProperty(pre + "finished", Long.toString(s.finished));
            p.setProperty(pre + "reward", Double.toString(s.rewardSum));
            p.setProperty(pre + "latency", Double.toString(s.latencySum));
            p.setProperty(pre + "failures", Long.toString(s.failures));
            p.setProperty(pre + "misses", Long.toString(s.misses));
            int slot = java.util.Arrays.asList(slots).indexOf(s);
            p.setProperty(pre + "linucb", linucb.dimension() + ";" + linucb.pulls(slot) + ";" + join(linucb.inverse(slot)) + ";" + join(linucb.b(slot)));
            if (bandit instanceof Exp3 e) {
                p.setProperty(pre + "exp3", e.weight(slot) + ";" + e.pulls(slot));
            }
        }
        return p;
    }

    /**
     * Restores counts and per-place statistics (UCB1 and Thompson are rebuilt from them), LinUCB's
     * models (same dimension) and EXP3's weights (when the policy is EXP3 now).
     */
    void restore(Properties p) {
        exclusive(() -> restoreLocked(p));
    }

    private void restoreLocked(Properties p) {
        submitted.reset();
        submitted.add(Long.parseLong(p.getProperty("submitted", "0")));
        completed = Long.parseLong(p.getProperty("completed", "0"));
        failed = Long.parseLong(p.getProperty("failed", "0"));
        misses = Long.parseLong(p.getProperty("misses", "0"));
        rejected.reset();
        rejected.add(Long.parseLong(p.getProperty("rejected", "0")));
        contextual.reset();
        contextual.add(Long.parseLong(p.getProperty("contextual", "0")));
        regret = Double.parseDouble(p.getProperty("regret", "0"));
        for (int k = 0; k < MAX_PLACES; k++) {
            String pre = "place." + k + ".";
            String name = p.getProperty(pre + "name");
            if (name == null) {
                break;
            }
            int at = -1;
            for (int i = 0; i < MAX_PLACES && at < 0; i++) {
                if (slots[i] != null && slots[i].name.equals(name)) {
                    at = i;
                }
            }
            for (int i = 0; i < MAX_PLACES && at < 0; i++) {
                if (slots[i] == null) {
                    at = i;
                    slots[i] = new Slot(name, p.getProperty(pre + "kind", "?"));
                    slots[i].cap = settings.maxInFlight();
                    used = Math.max(used, i + 1);
                }
            }
            if (at < 0) {
                break;
            }
            Slot s = slots[at];
            s.choices.add(Long.parseLong(p.getProperty(pre + "choices", "0")));
            s.finished += Long.parseLong(p.getProperty(pre + "finished", "0"));
            s.rewardSum += Double.parseDouble(p.getProperty(pre + "reward", "0"));
            s.latencySum += Double.parseDouble(p.getProperty(pre + "latency", "0"));
            s.failures += Long.parseLong(p.getProperty(pre + "failures", "0"));
            s.misses += Long.parseLong(p.getProperty(pre + "misses", "0"));
            bandit.reset(at);
            restoreBandit(at, s);
            restoreModels(p, pre, at);
        }
    }

    /** LinUCB's model and EXP3's weight of a slot, when saved with the same dimension / policy; a bad entry is skipped (named). */
    private void restoreModels(Properties p, String pre, int at) {
        String lin = p.getProperty(pre + "linucb");
        try {
            if (lin != null) {
                String[] parts = lin.split(";", -1);
                if (parts.length == 4 && Integer.parseInt(parts[0]) == linucb.dimension()) {
                    linucb.restore(at, parse(parts[2]), parse(parts[3]), Long.parseLong(parts[1]));
                }
            }
            String e3 = p.getProperty(pre + "exp3");
            if (e3 != null && bandit instanceof Exp3 e) {
                String[] parts = e3.split(";", -1);
                e.restore(at, Double.parseDouble(parts[0]), Long.parseLong(parts[1]));
            }
        } catch (RuntimeException e) {
            restoreProblem = "state of place " + slots[at].name + " not restored (" + e.getMessage() + "): it starts afresh";
        }
    }

    String restoreProblem = "";

    private static String join(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(v[i]);
        }
        return sb.toString();
    }

    private static double[] parse(String s) {
        if (s.isEmpty()) {
            return new double[0];
        }
        String[] parts = s.split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Double.parseDouble(parts[i]);
        }
        return out;
    }
}

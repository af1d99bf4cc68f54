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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * ADP's decisions: up to {@value #MAX_PLACES} place slots (a place keeps its slot, and its statistics,
 * by name while it comes and goes), the bandit of the configured policy over the slots, LinUCB for
 * units with features, the constraints from governance, the rewards and the regret estimate.
 * Thread-safe: one monitor guards a decision and an update (both short, allocation-free).
 */
final class AdpEngine {

    static final int MAX_PLACES = 64;

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

    /** One decision: where a unit went, with what it takes to credit its reward. Filled by {@link #decide}. */
    static class Ticket {
        int slot = -1;
        Place place;
        boolean contextual;
        double probability = 1;
        int pool = 1;
        double[] context;
    }

    private static final class Slot {
        final String name;
        String kind;
        Place place;
        long choices;
        long finished;
        double rewardSum;
        double latencySum;
        long failures;
        long misses;
        int inFlight;
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

    private final Slot[] slots = new Slot[MAX_PLACES];
    /** 1 + the highest slot in use: the loops of a decision stop there. */
    private int used;
    private final int[] queues = new int[MAX_PLACES];
    private final int[] candidates = new int[MAX_PLACES];
    private Settings settings = Settings.defaults();
    private Bandit bandit;
    private LinUcb linucb;
    private PowerOfDChoices pod;
    private double activation = 0.5;
    private double exploration = 1;
    private long submitted;
    private long completed;
    private long failed;
    private long misses;
    private long rejected;
    private long contextual;
    private long changepoints;
    private double regret;
    private int lastChoice = -1;
    private String lastAlert = "";

    AdpEngine() {
        configure(Settings.defaults());
    }

    synchronized void configure(Settings s) {
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

    synchronized Settings settings() {
        return settings;
    }

    /** EMS arousal: activation in [0, 1], 0.5 neutral. */
    synchronized void modulate(double act) {
        activation = Math.max(0, Math.min(1, act));
        applyExploration();
    }

    private void applyExploration() {
        double f = settings.exploration() * (1 + settings.arousalGain() * (2 * activation - 1));
        exploration = Math.max(0, Math.min(100, f));
        bandit.exploration(exploration);
        linucb.exploration(exploration);
    }

    synchronized double exploration() {
        return exploration;
    }

    // ------------------------------------------------------------------ places

    /** Adds (or re-attaches by name) a place. @throws IllegalStateException when all slots hold other places */
    synchronized void attach(Place p, long nowNanos) {
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
            } else if (s.place == null && s.inFlight == 0 && (oldest < 0 || s.lastSeenNanos < slots[oldest].lastSeenNanos)) {
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
    synchronized void detach(Place p, long nowNanos) {
        for (Slot s : slots) {
            if (s != null && s.place == p) {
                s.place = null;
                s.lastSeenNanos = nowNanos;
            }
        }
    }

    /** Refreshes the places' own queue lengths (ticks; not per decision). */
    void refreshQueues() {
        Place[] ps = new Place[MAX_PLACES];
        synchronized (this) {
            for (int i = 0; i < MAX_PLACES; i++) {
                ps[i] = slots[i] == null ? null : slots[i].place;
            }
        }
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
        synchronized (this) {
            for (int i = 0; i < MAX_PLACES; i++) {
                if (slots[i] != null && slots[i].place == ps[i]) {
                    slots[i].queue = q[i];
                }
            }
        }
    }

    // ------------------------------------------------------------------ decisions

    /**
     * Chooses a place for the unit and counts it in flight there; fills the ticket. Returns null, or
     * why no place can take the unit (then nothing is counted but the rejection).
     */
    synchronized String decide(WorkUnit<?> unit, Ticket t) {
        long mask = 0;
        int n = 0;
        int u = used;
        for (int i = 0; i < u; i++) {
            Slot s = slots[i];
            if (s != null && s.place != null && s.excluded.isEmpty() && s.inFlight < s.cap && s.place.accepts(unit)
                    && s.place.unavailableReason().isEmpty()) {
                mask |= 1L << i;
                candidates[n++] = i;
                queues[i] = s.inFlight + s.queue;
            }
        }
        if (n == 0) {
            rejected++;
            return whyNone(unit);
        }
        int arm;
        if (unit.featureCount() > 0) {
            double[] x = t.context;
            arm = linucb.select(x, mask);
            t.contextual = true;
            contextual++;
        } else if (settings.policy() == Policy.POWER_OF_D) {
            arm = pod.choose(candidates, n, queues);
        } else {
            arm = bandit.select(mask);
            t.probability = bandit.selectionProbability();
            t.pool = bandit.selectionPool();
        }
        Slot s = slots[arm];
        s.choices++;
        s.inFlight++;
        submitted++;
        lastChoice = arm;
        t.slot = arm;
        t.place = s.place;
        return null;
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
            } else if (s.inFlight >= s.cap) {
                why.add(s.name + ": " + s.inFlight + " in flight, its cap");
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
     * a failure counted as a miss too.
     */
    synchronized void finish(Ticket t, long latencyNanos, boolean ok, boolean missed) {
        int i = t.slot;
        Slot s = slots[i];
        if (s == null) {
            return;
        }
        double reward = ok ? settings.rewardLatencyNanos() / (settings.rewardLatencyNanos() + Math.max(0, latencyNanos)) : 0;
        s.inFlight = Math.max(0, s.inFlight - 1);
        s.finished++;
        s.rewardSum += reward;
        s.latencySum += Math.max(0, latencyNanos);
        if (ok) {
            completed++;
        } else {
            failed++;
            s.failures++;
        }
        if (missed) {
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
    synchronized void changepoint() {
        changepoints++;
        double f = settings.changepointDiscount();
        if (f < 1) {
            bandit.discount(f);
            linucb.discount(f);
        }
    }

    synchronized long changepoints() {
        return changepoints;
    }

    /**
     * Applies a governance decision addressed to ADP: analysis = a place's name or {@code *};
     * DISABLE excludes, ENABLE includes again (and lifts a throttle), SET_RATE v caps the place's
     * in-flight units at max(1, v x place.max.inflight) (v &gt;= 1 lifts the cap), ALERT is recorded.
     * Returns what was done, for the log.
     */
    synchronized String govern(GovernanceDecision d) {
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

    synchronized String lastAlert() {
        return lastAlert;
    }

    // ------------------------------------------------------------------ views

    synchronized List<PlaceInfo> places() {
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
                } else if (s.inFlight >= s.cap) {
                    status = "at its cap of " + s.cap + " in flight";
                    eligible = false;
                } else {
                    eligible = true;
                    status = s.cap < settings.maxInFlight() ? "throttled to " + s.cap + " in flight" : "ok";
                }
            }
            out.add(new PlaceInfo(s.name, s.kind, eligible, status, s.choices, s.mean(), s.finished == 0 ? Double.NaN : s.latencySum / s.finished,
                    s.failures, s.misses, s.inFlight, s.queue));
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

    synchronized AdpStats stats() {
        int inFlight = 0;
        for (Slot s : slots) {
            if (s != null) {
                inFlight += s.inFlight;
            }
        }
        return new AdpStats(settings.policy().label, submitted, completed, failed, misses, rejected, inFlight, regret, exploration, contextual,
                lastChoice >= 0 && slots[lastChoice] != null ? slots[lastChoice].name : "");
    }

    synchronized double regret() {
        return regret;
    }

    /** Metrics for adp.metrics: totals, then choices.P, reward.P, load.P per place. */
    synchronized Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        AdpStats st = stats();
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
                m.put("choices." + s.name, (double) s.choices);
                if (s.finished > 0) {
                    m.put("reward." + s.name, s.mean());
                }
                m.put("load." + s.name, (double) (s.inFlight + s.queue));
            }
        }
        m.put("places", (double) places);
        return m;
    }

    // ------------------------------------------------------------------ snapshot

    synchronized Properties snapshot() {
        Properties p = new Properties();
        p.setProperty("submitted", Long.toString(submitted));
        p.setProperty("completed", Long.toString(completed));
        p.setProperty("failed", Long.toString(failed));
        p.setProperty("misses", Long.toString(misses));
        p.setProperty("rejected", Long.toString(rejected));
        p.setProperty("contextual", Long.toString(contextual));
        p.setProperty("regret", Double.toString(regret));
        int k = 0;
        for (Slot s : slots) {
            if (s == null) {
                continue;
            }
            String pre = "place." + k++ + ".";
            p.setProperty(pre + "name", s.name);
            p.setProperty(pre + "kind", s.kind);
            p.setProperty(pre + "choices", Long.toString(s.choices - s.inFlight));
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
    synchronized void restore(Properties p) {
        submitted = Long.parseLong(p.getProperty("submitted", "0"));
        completed = Long.parseLong(p.getProperty("completed", "0"));
        failed = Long.parseLong(p.getProperty("failed", "0"));
        misses = Long.parseLong(p.getProperty("misses", "0"));
        rejected = Long.parseLong(p.getProperty("rejected", "0"));
        contextual = Long.parseLong(p.getProperty("contextual", "0"));
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
            s.choices = Long.parseLong(p.getProperty(pre + "choices", "0")) + s.choices;
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

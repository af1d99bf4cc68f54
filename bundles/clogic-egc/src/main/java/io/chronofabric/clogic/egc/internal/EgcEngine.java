package io.chronofabric.clogic.egc.internal;

import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.clogic.egc.internal.stl.OnlineMonitor;
import io.chronofabric.clogic.egc.internal.stl.Spec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The monitoring core without OSGi: the latest value of every named signal (sample and hold), one
 * online monitor per spec stepped at every tick, and the rules that turn a violation (robustness &lt; 0)
 * or a recovery (back to &gt;= 0) into decisions. A spec starts out "satisfied"; its first outputs
 * (before {@link OnlineMonitor#delay()} samples) cover times before the first sample and decide nothing.
 * Signal offers may come from any thread; {@link #tick} and the readers are synchronized.
 */
final class EgcEngine {

    /**
     * A decision with what made it; {@code index} is the consensus log index of the entry it was
     * applied from (the same on every node of a cluster), -1 for a local decision.
     */
    record DecisionRecord(String spec, boolean violation, double robustness, long step, String rule, GovernanceDecision decision,
            String vote, String origin, long index) {
        DecisionRecord(String spec, boolean violation, double robustness, long step, String rule, GovernanceDecision decision) {
            this(spec, violation, robustness, step, rule, decision, "", "local", -1);
        }

        DecisionRecord(String spec, boolean violation, double robustness, long step, String rule, GovernanceDecision decision,
                String vote, String origin) {
            this(spec, violation, robustness, step, rule, decision, vote, origin, -1);
        }
    }

    /** How the proposers of an event are arbitrated. */
    enum Arbitration { WEIGHTED_MAJORITY, ALL }

    /** A decision this node proposed and applied, waiting for its outcome. */
    private record Pending(String spec, boolean violation, long step, List<String> voters) { }

    /** What the console shows about a spec. */
    record SpecView(String name, String text, List<String> inputs, long delay, long steps, double robustness, boolean violated,
            long violations, long recoveries, String status) { }

    static final class Monitored {
        final String name;
        final Spec spec;
        final OnlineMonitor monitor;
        final double[] values;
        double robustness = Double.NaN;
        boolean violated;
        /** The proposers of each event (the rules for it in configuration order, or the default alert); set by configure. */
        List<Rule> onViolation = List.of();
        List<Rule> onRecovery = List.of();
        long violations;
        long recoveries;
        String status = "waiting for the first tick";

        Monitored(String name, Spec spec) {
            this.name = name;
            this.spec = spec;
            this.monitor = new OnlineMonitor(spec);
            this.values = new double[spec.inputs().size()];
        }
    }

    private static final class Slot {
        volatile double value = Double.NaN;
        volatile long updates;
        double[] ring;
        int head;
        int count;

        void record(int window) {
            if (ring == null || ring.length != window) {
                ring = new double[window];
                head = 0;
                count = 0;
            }
            ring[head] = value;
            head = (head + 1) % ring.length;
            count = Math.min(ring.length, count + 1);
        }

        double[] history() {
            double[] out = new double[count];
            for (int i = 0; i < count; i++) {
                out[i] = ring[(head - count + i + ring.length) % ring.length];
            }
            return out;
        }
    }

    private final Map<String, Slot> signals = new ConcurrentHashMap<>();
    private final Map<String, Monitored> specs = new LinkedHashMap<>();
    private List<Rule> rules = List.of();
    private final ArrayDeque<DecisionRecord> history = new ArrayDeque<>();
    private int historySize = 100;
    private int miningWindow = 600;
    private long decisions;
    private final WeightedMajority wm = new WeightedMajority();
    private Arbitration arbitration = Arbitration.WEIGHTED_MAJORITY;
    private int outcomeWindow = 10;
    private double hysteresis;
    private double activation = 0.5;
    private double valence;
    private boolean modulated;
    private String modNote = "";
    private boolean replicated;
    private String localNode = "local";
    private final List<DecisionEntry> outbox = new ArrayList<>();
    private final Map<String, Boolean> clusterViolated = new java.util.HashMap<>();
    private final List<Pending> pending = new ArrayList<>();
    private long duplicates;
    private long wrongs;
    /** Applies THROTTLE / ORACLE_HINT decisions and undoes them on recovery; null: decisions are only published. */
    private Actuator actuator;

    synchronized void actuator(Actuator a) {
        actuator = a;
    }

    /**
     * Lifts what EGC set for specs not violated now (after a reconfiguration or restore; local mode only:
     * with consensus the log's view decides and undoes). Returns the decisions to publish.
     */
    synchronized List<DecisionRecord> sweepActuations(long nowNanos) {
        if (actuator == null || replicated) {
            return List.of();
        }
        java.util.Set<String> violated = new java.util.HashSet<>();
        clusterViolated.forEach((spec, v) -> {
            if (v) {
                violated.add(Rule.specField(spec));
            }
        });
        List<DecisionRecord> out = new ArrayList<>(1);
        for (GovernanceDecision u : actuator.sweep(violated, nowNanos)) {
            out.add(record(new DecisionRecord(u.spec(), false, Double.NaN, -1, u.rule(), u)));
        }
        return out;
    }
    private long replayed;
    private long logIndex = -1;
    private long restoredLogIndex = -1;

    /** Replaces the specs (monitors restart) and rules; a bad spec throws naming it. */
    synchronized void configure(Map<String, String> specTexts, double periodSeconds, List<Rule> newRules, int keep) {
        configure(specTexts, periodSeconds, newRules, keep, miningWindow);
    }

    synchronized void configure(Map<String, String> specTexts, double periodSeconds, List<Rule> newRules, int keep, int window) {
        if (window < 2 || window > 1_000_000) {
            throw new IllegalArgumentException("mining.window " + window + " is outside 2..1000000");
        }
        Map<String, Monitored> next = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : specTexts.entrySet()) {
            try {
                next.put(e.getKey(), new Monitored(e.getKey(), Spec.parse(e.getValue(), periodSeconds)));
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException("spec." + e.getKey() + ": " + x.getMessage(), x);
            }
        }
        for (Rule r : newRules) {
            if (!next.containsKey(r.spec())) {
                throw new IllegalArgumentException("rule '" + r.text() + "' names spec '" + r.spec() + "', which is not configured (specs: "
                        + next.keySet() + ")");
            }
        }
        for (Monitored m : next.values()) {
            m.onViolation = proposers(newRules, m.name, true);
            m.onRecovery = proposers(newRules, m.name, false);
        }
        specs.clear();
        specs.putAll(next);
        // the monitors restart "satisfied": locally the log's view restarts with them (with consensus it is the cluster's)
        if (!replicated) {
            clusterViolated.clear();
        }
        pending.clear();
        rules = List.copyOf(newRules);
        historySize = Math.max(1, keep);
        miningWindow = window;
        while (history.size() > historySize) {
            history.removeFirst();
        }
    }

    private static List<Rule> proposers(List<Rule> all, String spec, boolean violation) {
        List<Rule> out = new ArrayList<>();
        for (Rule rule : all) {
            if (rule.spec().equals(spec) && rule.onViolation() == violation) {
                out.add(rule);
            }
        }
        if (out.isEmpty()) {
            out.add(Rule.defaultFor(spec, violation));
        }
        return List.copyOf(out);
    }

    /** The signal names the specs read. */
    synchronized List<String> signalNames() {
        List<String> out = new ArrayList<>();
        for (Monitored m : specs.values()) {
            for (String s : m.spec.inputs()) {
                if (!out.contains(s)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** Latest value of a signal (NaN or infinite values are refused by the caller's extraction; NaN here is ignored). */
    void offer(String signal, double value) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("signal '" + signal + "' value is NaN");
        }
        Slot s = signals.computeIfAbsent(signal, k -> new Slot());
        s.value = value;
        s.updates++;
    }

    double latest(String signal) {
        Slot s = signals.get(signal);
        return s == null ? Double.NaN : s.value;
    }

    /** One sampling step of every spec; returns the decisions to publish. */
    synchronized List<DecisionRecord> tick(long nowNanos) {
        entries = null;
        for (Slot s : signals.values()) {
            if (!Double.isNaN(s.value)) {
                s.record(miningWindow);
            }
        }
        for (Monitored m : specs.values()) {
            String missing = null;
            for (int i = 0; i < m.values.length; i++) {
                double v = latest(m.spec.inputs().get(i));
                if (Double.isNaN(v)) {
                    missing = missing == null ? m.spec.inputs().get(i) : missing + ", " + m.spec.inputs().get(i);
                }
                m.values[i] = v;
            }
            if (missing != null) {
                m.status = "waiting for signals " + missing;
                continue;
            }
            double r = m.monitor.update(m.values);
            long step = m.monitor.steps() - 1 - m.monitor.delay();
            m.robustness = r;
            if (step < 0) {
                m.status = "filling the " + m.monitor.delay() + "-sample delay";
                continue;
            }
            double h = hysteresis();
            boolean violatedNow = m.violated ? r < h : r < -h;
            m.status = (violatedNow ? "violated" : "satisfied") + (r < 0 != violatedNow ? " (hysteresis " + Numbers.brief(h) + ")" : "");
            if (violatedNow != m.violated) {
                m.violated = violatedNow;
                if (violatedNow) {
                    m.violations++;
                } else {
                    m.recoveries++;
                }
                List<Rule> proposers = violatedNow ? m.onViolation : m.onRecovery;
                entries = addEntry(entries, propose(m, proposers, violatedNow, r, step, nowNanos));
            }
            judge(m, step);
        }
        List<DecisionEntry> es = entries;
        entries = null;
        if (es == null) {
            return List.of();
        }
        if (replicated) {
            outbox.addAll(es);
            return List.of();
        }
        List<DecisionRecord> out = new ArrayList<>(2);
        for (DecisionEntry e : es) {
            out.addAll(apply(e));
        }
        return out;
    }

    /** Hysteresis in robustness units after modulation: base x 2 (1 - activation); neutral arousal keeps the base. */
    synchronized double hysteresis() {
        return hysteresis * 2 * (1 - activation);
    }

    /** ALERT severity factor after modulation: 1 - valence / 2 (negative valence raises alerts, positive lowers them). */
    synchronized double severityFactor() {
        return 1 - valence / 2;
    }

    /**
     * Outcome of this node's pending decisions for spec m. A violation decision is right when the spec
     * recovers within the outcome window, wrong when it is still violated after it; a recovery decision
     * is wrong when the spec is violated again within the window, right when the window passes without.
     * Right ones are forgotten (weights change only for wrong votes), wrong ones become a WRONG entry.
     */
    private void judge(Monitored m, long step) {
        for (java.util.Iterator<Pending> it = pending.iterator(); it.hasNext();) {
            Pending p = it.next();
            if (!p.spec().equals(m.name)) {
                continue;
            }
            boolean over = step - p.step() >= outcomeWindow;
            boolean wrong = p.violation() ? over && m.violated : m.violated;
            boolean right = p.violation() ? !m.violated : over && !m.violated;
            if (wrong) {
                it.remove();
                entries = addEntry(entries, DecisionEntry.wrong(localNode, p.spec(), p.violation(), p.step(), p.voters()));
            } else if (right) {
                it.remove();
            }
        }
    }

    /** The entries of the tick under way (under the lock). */
    private List<DecisionEntry> entries;

    private DecisionEntry propose(Monitored m, List<Rule> proposers, boolean violation, double r, long step, long now) {
        double factor = severityFactor();
        String mod = modNote;
        if (arbitration == Arbitration.ALL || proposers.size() == 1) {
            List<GovernanceDecision> ds = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (Rule rule : proposers) {
                ds.add(rule.decide(r, step, now, factor, mod));
                texts.add(rule.text());
            }
            return new DecisionEntry(DecisionEntry.Kind.DECISION, localNode, m.name, violation, r, step, String.join(", ", texts), "",
                    arbitration == Arbitration.ALL ? List.of() : texts, ds);
        }
        WeightedMajority.Ballot b = wm.vote(proposers);
        GovernanceDecision d = b.winner().decide(r, step, now, factor, "; weighted majority " + b.vote() + mod);
        return new DecisionEntry(DecisionEntry.Kind.DECISION, localNode, m.name, violation, r, step, b.winner().text(), b.vote(),
                b.voters(), List.of(d));
    }

    private static List<DecisionEntry> addEntry(List<DecisionEntry> l, DecisionEntry e) {
        List<DecisionEntry> out = l == null ? new ArrayList<>(2) : l;
        out.add(e);
        return out;
    }

    /**
     * Applies one entry of the decision log (at once locally; when committed with consensus, on every node
     * in the log's order): a decision for an event the log has already seen for its spec (another node's
     * proposal of the same violation) is a duplicate and ignored; a WRONG verdict lowers its voters' weights.
     * Returns the decisions to publish.
     */
    synchronized List<DecisionRecord> apply(DecisionEntry e) {
        return apply(e, -1);
    }

    /** {@link #apply(DecisionEntry)} of the entry at {@code index} of the consensus log (-1: not from a log). */
    synchronized List<DecisionRecord> apply(DecisionEntry e, long index) {
        logIndex = Math.max(logIndex, index);
        if (e.kind() == DecisionEntry.Kind.WRONG) {
            wm.penalise(e.voters());
            wrongs++;
            return List.of();
        }
        boolean before = clusterViolated.getOrDefault(e.spec(), false);
        if (before == e.violation()) {
            duplicates++;
            return List.of();
        }
        clusterViolated.put(e.spec(), e.violation());
        List<DecisionRecord> out = new ArrayList<>(e.decisions().size());
        Actuator act = actuator;
        for (GovernanceDecision d : e.decisions()) {
            GovernanceDecision applied = act == null ? d : act.apply(d); // the outcome goes into its reason
            out.add(record(new DecisionRecord(e.spec(), e.violation(), e.robustness(), e.step(), e.rule(), applied, e.vote(), e.origin(), index)));
        }
        if (act != null && !e.violation()) { // a recovery lifts what the violation set (on every node, as the log applies)
            long t = e.decisions().isEmpty() ? 0 : e.decisions().get(0).timeNanos();
            for (GovernanceDecision u : act.undo(e.spec(), e.robustness(), e.step(), t)) {
                out.add(record(new DecisionRecord(e.spec(), false, e.robustness(), e.step(), u.rule(), u, "", e.origin(), index)));
            }
        }
        if (e.origin().equals(localNode) && !e.voters().isEmpty()) {
            pending.add(new Pending(e.spec(), e.violation(), e.step(), e.voters()));
        }
        return out;
    }

    /** Entries waiting to be proposed to the consensus log (replicated mode); empties the outbox. */
    synchronized List<DecisionEntry> drainOutbox() {
        if (outbox.isEmpty()) {
            return List.of();
        }
        List<DecisionEntry> out = new ArrayList<>(outbox);
        outbox.clear();
        return out;
    }

    /**
     * Replicated (entries go to the outbox, applied when committed) or local (applied at once); see
     * {@link #forgetForReplay} and {@link #replay} for joining a log.
     */
    synchronized void replicated(boolean on, String node) {
        replicated = on;
        localNode = on ? node : "local";
        pending.clear();
        outbox.clear();
    }

    /**
     * Before the consensus log is replayed from its first index: the weights and the cluster's
     * violated flags are forgotten, the log is their only source in a cluster (what this node decided
     * alone before it joined, or kept in its snapshot, would make its weights differ from the other
     * nodes'). Returns the weights forgotten, for {@link #weights(Map)} when the replay cannot start.
     */
    synchronized Forgotten forgetForReplay() {
        Forgotten before = new Forgotten(wm.weights(), new java.util.HashMap<>(clusterViolated));
        clusterViolated.clear();
        replayActuations.clear();
        wm.reset();
        return before;
    }

    /** What {@link #forgetForReplay} forgot: the weights and the cluster's violated flags. */
    record Forgotten(Map<String, Double> weights, Map<String, Boolean> violated) {
    }

    /**
     * Takes back what {@link #forgetForReplay} forgot when the replay cannot start (a compacted log):
     * the weights and the violated flags, or a recovery of a still-violated spec would be taken for a
     * duplicate and what its violation set would never be undone.
     */
    synchronized void unforget(Forgotten f) {
        f.weights().forEach(wm::weight);
        clusterViolated.clear();
        clusterViolated.putAll(f.violated());
        replayActuations.clear();
    }

    /** Takes back weights (those {@link #forgetForReplay} returned). */
    synchronized void weights(Map<String, Double> w) {
        w.forEach(wm::weight);
    }

    /** Per spec, the actuating decisions of the last violation the replay saw (re-applied by {@link #finishReplay}). */
    private final Map<String, List<GovernanceDecision>> replayActuations = new LinkedHashMap<>();

    /**
     * After the replay: re-applies, through the actuator, the THROTTLE / ORACLE_HINT decisions of the
     * last violation of each spec still violated in the cluster's view (a restarted node's bus limits
     * and oracle pin are gone; the tags make a limit already in force be set again, not doubled).
     * Returns the decisions with their outcome; nothing without an actuator.
     */
    synchronized List<GovernanceDecision> finishReplay() {
        List<GovernanceDecision> out = new ArrayList<>(1);
        Actuator act = actuator;
        if (act != null) {
            replayActuations.forEach((spec, ds) -> {
                if (clusterViolated.getOrDefault(spec, false)) {
                    for (GovernanceDecision d : ds) {
                        out.add(act.apply(d));
                    }
                }
            });
        }
        replayActuations.clear();
        return out;
    }

    /**
     * An entry committed before this node connected to the log: the weights and the cluster's
     * violated flags follow it, as on the nodes that applied it live; nothing is published, recorded
     * or judged (it was acted upon when it was committed).
     */
    synchronized void replay(DecisionEntry e, long index) {
        replayed++;
        logIndex = Math.max(logIndex, index);
        if (e.kind() == DecisionEntry.Kind.WRONG) {
            wm.penalise(e.voters());
            wrongs++;
        } else {
            boolean before = clusterViolated.getOrDefault(e.spec(), false);
            if (before != e.violation()) { // a duplicate was not acted upon live either
                clusterViolated.put(e.spec(), e.violation());
                if (e.violation()) {
                    List<GovernanceDecision> acting = new ArrayList<>(1);
                    for (GovernanceDecision d : e.decisions()) {
                        if (Actuator.actuates(d.action())) {
                            acting.add(d);
                        }
                    }
                    replayActuations.put(e.spec(), acting);
                } else {
                    replayActuations.remove(e.spec());
                }
            }
        }
    }

    synchronized long replayed() {
        return replayed;
    }

    /** The highest consensus log index applied or replayed, -1 when none. */
    synchronized long logIndex() {
        return logIndex;
    }

    /** The log index the snapshot restored (-1 when none): entries up to it were applied before a restart. */
    synchronized long restoredLogIndex() {
        return restoredLogIndex;
    }

    synchronized boolean replicated() {
        return replicated;
    }

    synchronized String localNode() {
        return localNode;
    }

    /** Arbitration, outcome window (samples), beta and the base hysteresis. */
    synchronized void arbitration(Arbitration a, int window, double beta, double baseHysteresis) {
        if (window < 1 || window > 1_000_000) {
            throw new IllegalArgumentException("outcome.window " + window + " is outside 1..1000000");
        }
        if (!(baseHysteresis >= 0 && Double.isFinite(baseHysteresis))) {
            throw new IllegalArgumentException("hysteresis " + baseHysteresis + " is not a number >= 0");
        }
        wm.beta(beta);
        arbitration = a;
        outcomeWindow = window;
        hysteresis = baseHysteresis;
        note();
    }

    /** The latest modulation: activation = (arousal + 1) / 2 in [0, 1], valence (pleasure) in [-1, 1]. */
    synchronized void modulate(double act, double val) {
        if (!(act >= 0 && act <= 1) || !(val >= -1 && val <= 1)) {
            throw new IllegalArgumentException("modulation activation " + act + " / valence " + val + " out of range");
        }
        activation = act;
        valence = val;
        modulated = act != 0.5 || val != 0; // a neutral modulation is not mentioned in the reasons
        note();
    }

    private void note() {
        modNote = modulated ? String.format(java.util.Locale.ROOT, "; modulation activation %.2f valence %.2f: hysteresis %s, severity x%.2f",
                activation, valence, Numbers.brief(hysteresis()), severityFactor()) : "";
    }

    synchronized double activation() {
        return activation;
    }

    synchronized double valence() {
        return valence;
    }

    synchronized Map<String, Double> weights() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Rule r : rules) {
            out.put(r.text(), wm.weight(r.text()));
        }
        wm.weights().forEach(out::putIfAbsent);
        return out;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized long wrongs() {
        return wrongs;
    }

    synchronized int pendingOutcomes() {
        return pending.size();
    }

    private DecisionRecord record(DecisionRecord d) {
        history.addLast(d);
        while (history.size() > historySize) {
            history.removeFirst();
        }
        decisions++;
        return d;
    }

    /** Counts and violated flags of every spec, with its text (format 1). */
    synchronized java.util.Properties snapshot() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("format", "1");
        p.setProperty("decisions", Long.toString(decisions));
        for (Monitored m : specs.values()) {
            String k = "spec." + m.name + ".";
            p.setProperty(k + "text", m.spec.text());
            p.setProperty(k + "violated", Boolean.toString(m.violated));
            p.setProperty(k + "violations", Long.toString(m.violations));
            p.setProperty(k + "recoveries", Long.toString(m.recoveries));
        }
        wm.weights().forEach((rule, w) -> p.setProperty("weight." + rule, Double.toString(w)));
        if (logIndex >= 0) {
            p.setProperty("log.index", Long.toString(logIndex));
        }
        return p;
    }

    /**
     * Takes back the state of the specs whose text is unchanged (a spec violated before a restart stays
     * violated until it recovers: no second violation decision); returns the names restored.
     */
    synchronized List<String> restore(java.util.Properties p) {
        if (!"1".equals(p.getProperty("format"))) {
            throw new IllegalArgumentException("snapshot format " + p.getProperty("format") + " is not 1");
        }
        decisions = Long.parseLong(p.getProperty("decisions", "0"));
        try {
            restoredLogIndex = Long.parseLong(p.getProperty("log.index", "-1"));
        } catch (NumberFormatException x) {
            restoredLogIndex = -1; // a damaged index: the log's entries are applied again (decisions republished)
        }
        List<String> restored = new ArrayList<>();
        for (Monitored m : specs.values()) {
            String k = "spec." + m.name + ".";
            if (m.spec.text().equals(p.getProperty(k + "text"))) {
                m.violated = Boolean.parseBoolean(p.getProperty(k + "violated"));
                m.violations = Long.parseLong(p.getProperty(k + "violations", "0"));
                m.recoveries = Long.parseLong(p.getProperty(k + "recoveries", "0"));
                clusterViolated.put(m.name, m.violated);
                restored.add(m.name);
            }
        }
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("weight.")) {
                try {
                    wm.weight(key.substring("weight.".length()), Double.parseDouble(p.getProperty(key)));
                } catch (NumberFormatException x) {
                    // a damaged weight starts again at 1
                }
            }
        }
        return restored;
    }

    /** The values a signal had at the last ticks (oldest first), at most mining.window of them. */
    synchronized double[] history(String signal) {
        Slot s = signals.get(signal);
        if (s == null || s.ring == null) {
            throw new IllegalArgumentException("no samples of signal '" + signal + "' yet (known signals: " + new java.util.TreeSet<>(signals.keySet()) + ")");
        }
        return s.history();
    }

    synchronized List<SpecView> specs() {
        List<SpecView> out = new ArrayList<>();
        for (Monitored m : specs.values()) {
            out.add(new SpecView(m.name, m.spec.text(), m.spec.inputs(), m.monitor.delay(), m.monitor.steps(), m.robustness, m.violated,
                    m.violations, m.recoveries, m.status));
        }
        return out;
    }

    synchronized List<DecisionRecord> decisions() {
        return Collections.unmodifiableList(new ArrayList<>(history));
    }

    synchronized long decisionCount() {
        return decisions;
    }

    synchronized int specCount() {
        return specs.size();
    }

    synchronized long violatedCount() {
        return specs.values().stream().filter(m -> m.violated).count();
    }
}

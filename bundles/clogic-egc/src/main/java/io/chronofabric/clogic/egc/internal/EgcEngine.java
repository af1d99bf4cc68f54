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

    /** A decision with what made it. */
    record DecisionRecord(String spec, boolean violation, double robustness, long step, String rule, GovernanceDecision decision) { }

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
        specs.clear();
        specs.putAll(next);
        rules = List.copyOf(newRules);
        historySize = Math.max(1, keep);
        miningWindow = window;
        while (history.size() > historySize) {
            history.removeFirst();
        }
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
        List<DecisionRecord> out = null;
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
            m.status = r < 0 ? "violated" : "satisfied";
            boolean violatedNow = r < 0;
            if (violatedNow != m.violated) {
                m.violated = violatedNow;
                if (violatedNow) {
                    m.violations++;
                } else {
                    m.recoveries++;
                }
                boolean any = false;
                for (Rule rule : rules) {
                    if (rule.spec().equals(m.name) && rule.onViolation() == violatedNow) {
                        out = add(out, record(m, rule, r, step, nowNanos));
                        any = true;
                    }
                }
                if (!any) {
                    out = add(out, record(m, Rule.defaultFor(m.name, violatedNow), r, step, nowNanos));
                }
            }
        }
        return out == null ? List.of() : out;
    }

    private DecisionRecord record(Monitored m, Rule rule, double r, long step, long now) {
        DecisionRecord d = new DecisionRecord(m.name, rule.onViolation(), r, step, rule.text(), rule.decide(r, step, now));
        history.addLast(d);
        while (history.size() > historySize) {
            history.removeFirst();
        }
        decisions++;
        return d;
    }

    private static List<DecisionRecord> add(List<DecisionRecord> l, DecisionRecord d) {
        List<DecisionRecord> out = l == null ? new ArrayList<>(2) : l;
        out.add(d);
        return out;
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
        List<String> restored = new ArrayList<>();
        for (Monitored m : specs.values()) {
            String k = "spec." + m.name + ".";
            if (m.spec.text().equals(p.getProperty(k + "text"))) {
                m.violated = Boolean.parseBoolean(p.getProperty(k + "violated"));
                m.violations = Long.parseLong(p.getProperty(k + "violations", "0"));
                m.recoveries = Long.parseLong(p.getProperty(k + "recoveries", "0"));
                restored.add(m.name);
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

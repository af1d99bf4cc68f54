package io.chronofabric.clogic.egc.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Weighted majority among proposers (Littlestone &amp; Warmuth 1994, "The weighted majority
 * algorithm", Information and Computation 108(2)), in its multi-option (plurality) form: every
 * proposer (a configured rule, a rule accepted from mining, the default alert) that has an opinion
 * on an event of a spec votes for its action with its weight; the action with the largest total
 * weight is decided (ties: the first proposer in configuration order). Each proposer starts at
 * weight 1; a proposer whose vote was <em>wrong</em> has its weight multiplied by beta (0 &lt; beta &lt; 1).
 *
 * <p><b>Wrong</b> (what EGC can observe, documented as such): the decided action is wrong when the
 * spec did not reach the state the decision was about within {@code outcome.window} samples after
 * it: no recovery after a violation decision, a new violation after a recovery decision. Only the
 * proposers that voted for the decided action are judged: what an action that was not taken would
 * have done is not observed (partial information, unlike the full-information setting of the paper;
 * the losers keep their weight, so a decided action that keeps failing loses the majority to them).
 * Weights are scaled up together when the largest falls under 1e-100 (the majority is unchanged by
 * a common factor) and none goes below 1e-300, so they never underflow to 0.
 *
 * <p>Not thread-safe: the engine calls it under its lock.
 */
final class WeightedMajority {

    /** The outcome of one vote. */
    record Ballot(Rule winner, List<String> voters, String vote) { }

    /** A weight never goes below this (no proposer is silenced for good by underflow). */
    static final double MIN_WEIGHT = 1e-300;

    private final Map<String, Double> weights = new LinkedHashMap<>();
    private double beta = 0.5;
    private long penalties;
    /** Weights change only by {@link #penalise} and {@link #weight(String, double)}: a ballot is kept until they do. */
    private long version;
    private final Map<List<Rule>, Ballot> ballots = new java.util.IdentityHashMap<>();
    private final Map<List<Rule>, Long> ballotVersions = new java.util.IdentityHashMap<>();

    void beta(double b) {
        if (!(b > 0 && b < 1)) {
            throw new IllegalArgumentException("wm.beta " + b + " is not in (0, 1)");
        }
        beta = b;
    }

    double beta() {
        return beta;
    }

    double weight(String proposer) {
        return weights.getOrDefault(proposer, 1.0);
    }

    Map<String, Double> weights() {
        return new LinkedHashMap<>(weights);
    }

    long penalties() {
        return penalties;
    }

    /** Every proposer back to weight 1 (before the consensus log is replayed). */
    void reset() {
        weights.clear();
        penalties = 0;
        version++;
    }

    /** Sets a weight (restore from a snapshot). */
    void weight(String proposer, double w) {
        if (w > 0 && Double.isFinite(w)) {
            weights.put(proposer, w);
            version++;
        }
    }

    /**
     * The proposers' vote; {@code proposers} is not empty and in configuration order. The ballot of the
     * same list (by identity: the engine keeps one list per spec and event) is reused while no weight changed.
     */
    Ballot vote(List<Rule> proposers) {
        Long v = ballotVersions.get(proposers);
        if (v != null && v == version) {
            return ballots.get(proposers);
        }
        Ballot b = count(proposers);
        if (ballots.size() > 10_000) {
            ballots.clear();
            ballotVersions.clear();
            options.clear();
        }
        ballots.put(proposers, b);
        ballotVersions.put(proposers, version);
        return b;
    }

    private final Map<List<Rule>, String[]> options = new java.util.IdentityHashMap<>();

    private Ballot count(List<Rule> proposers) {
        String[] opt = options.computeIfAbsent(proposers, l -> l.stream().map(WeightedMajority::option).toArray(String[]::new));
        int n = proposers.size();
        String[] keys = new String[n];
        double[] totals = new double[n];
        int[] firsts = new int[n];
        int[] counts = new int[n];
        int k = 0;
        for (int r = 0; r < n; r++) {
            int i = 0;
            while (i < k && !keys[i].equals(opt[r])) {
                i++;
            }
            if (i == k) {
                keys[k] = opt[r];
                firsts[k] = r;
                k++;
            }
            totals[i] += weight(proposers.get(r).text());
            counts[i]++;
        }
        int best = 0;
        for (int i = 1; i < k; i++) {
            if (totals[i] > totals[best]) {
                best = i;
            }
        }
        List<String> voters = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            if (opt[r].equals(keys[best])) {
                voters.add(proposers.get(r).text());
            }
        }
        StringBuilder vote = new StringBuilder(64);
        for (int i = 0; i < k; i++) {
            if (i > 0) {
                vote.append(" vs ");
            }
            vote.append(keys[i]).append(' ').append(threeDigits(totals[i]))
                    .append(" (").append(counts[i]).append(counts[i] == 1 ? " proposer)" : " proposers)");
        }
        return new Ballot(proposers.get(firsts[best]), List.copyOf(voters), vote.toString());
    }

    /** Three significant digits, trailing zeros kept (1.00, 0.500, 12.5). */
    static String threeDigits(double w) {
        if (!(w > 0) || !Double.isFinite(w)) {
            return Double.toString(w);
        }
        java.math.BigDecimal b = new java.math.BigDecimal(w).round(new java.math.MathContext(3));
        if (b.precision() < 3) {
            b = b.setScale(b.scale() + 3 - b.precision());
        }
        return b.toPlainString();
    }

    /** The voters of a wrong decision: weight times beta. */
    void penalise(List<String> voters) {
        for (String v : voters) {
            weights.put(v, Math.max(MIN_WEIGHT, weight(v) * beta));
            penalties++;
        }
        version++;
        double max = 0;
        for (double w : weights.values()) {
            max = Math.max(max, w);
        }
        if (max > 0 && max < 1e-100) {
            double f = 1 / max;
            weights.replaceAll((k, w) -> w * f);
        }
    }

    /** What a rule votes for: target and action (and its value when it has one). */
    static String option(Rule r) {
        return r.module() + "/" + r.analysis() + ":" + r.action() + (Double.isNaN(r.value()) ? "" : ":" + Numbers.brief(r.value()));
    }
}

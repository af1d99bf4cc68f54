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
 * a common factor), so they never underflow.
 *
 * <p>Not thread-safe: the engine calls it under its lock.
 */
final class WeightedMajority {

    /** The outcome of one vote. */
    record Ballot(Rule winner, List<String> voters, String vote) { }

    private final Map<String, Double> weights = new LinkedHashMap<>();
    private double beta = 0.5;
    private long penalties;

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

    /** Sets a weight (restore from a snapshot). */
    void weight(String proposer, double w) {
        if (w > 0 && Double.isFinite(w)) {
            weights.put(proposer, w);
        }
    }

    /** The proposers' vote; {@code proposers} is not empty and in configuration order. */
    Ballot vote(List<Rule> proposers) {
        List<String> keys = new ArrayList<>();
        List<Double> totals = new ArrayList<>();
        List<Rule> first = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (Rule r : proposers) {
            String k = option(r);
            int i = keys.indexOf(k);
            if (i < 0) {
                keys.add(k);
                totals.add(0.0);
                first.add(r);
                counts.add(0);
                i = keys.size() - 1;
            }
            totals.set(i, totals.get(i) + weight(r.text()));
            counts.set(i, counts.get(i) + 1);
        }
        int best = 0;
        for (int i = 1; i < keys.size(); i++) {
            if (totals.get(i) > totals.get(best)) {
                best = i;
            }
        }
        List<String> voters = new ArrayList<>();
        for (Rule r : proposers) {
            if (option(r).equals(keys.get(best))) {
                voters.add(r.text());
            }
        }
        StringBuilder vote = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                vote.append(" vs ");
            }
            vote.append(keys.get(i)).append(' ').append(String.format(Locale.ROOT, "%.3g", totals.get(i)))
                    .append(" (").append(counts.get(i)).append(counts.get(i) == 1 ? " proposer)" : " proposers)");
        }
        return new Ballot(first.get(best), voters, vote.toString());
    }

    /** The voters of a wrong decision: weight times beta. */
    void penalise(List<String> voters) {
        for (String v : voters) {
            weights.put(v, weight(v) * beta);
            penalties++;
        }
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

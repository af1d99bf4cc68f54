package io.chronofabric.clogic.egc.internal;

import io.chronofabric.api.bus.ChannelLimit;
import io.chronofabric.api.bus.ChannelThrottle;
import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.scheduler.HintPin;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.TimeOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What EGC does itself with its actuating decisions, besides publishing them: a
 * {@link GovernanceAction#THROTTLE} sets (or, with value 0, lifts) a bus channel's rate limit through
 * the bus's {@link ChannelThrottle}, an {@link GovernanceAction#ORACLE_HINT} pins (or, for hint
 * {@code *}, unpins) the {@link TimeOracle}'s hint. The outcome is appended to the decision's reason
 * ("; applied: ..." or "; not applied: ..." naming why, e.g. no such service), so the published
 * decision and {@code csf:egc-decisions} say what happened.
 *
 * <p>What a spec's violation set is tagged with the spec ({@code egc spec=NAME rule=TEXT} as the
 * limit's or pin's reason), so that when the spec recovers {@link #undo} lifts exactly what it set
 * and is still in force, also after an EGC restart (the tag lives in the bus and the oracle). A
 * limit or pin replaced since by someone else (an operator, another spec) is theirs and is left alone.
 * Called under the engine's lock; the services' calls do not block.
 */
final class Actuator {

    private static final Logger LOG = LoggerFactory.getLogger(Actuator.class);
    static final String TAG = "egc spec=";

    private final Supplier<ChannelThrottle> throttle;
    private final Supplier<TimeOracle> oracle;

    Actuator(Supplier<ChannelThrottle> throttle, Supplier<TimeOracle> oracle) {
        this.throttle = throttle;
        this.oracle = oracle;
    }

    static boolean actuates(GovernanceAction a) {
        return a == GovernanceAction.THROTTLE || a == GovernanceAction.ORACLE_HINT;
    }

    static String tag(String spec, String rule) {
        return TAG + spec + " rule=" + rule;
    }

    /** The spec a tag names, or null when the reason is not an EGC tag. */
    static String specOf(String reason) {
        if (reason == null || !reason.startsWith(TAG)) {
            return null;
        }
        int end = reason.indexOf(" rule=", TAG.length());
        return end < 0 ? reason.substring(TAG.length()) : reason.substring(TAG.length(), end);
    }

    static String ruleOf(String reason) {
        int i = reason == null ? -1 : reason.indexOf(" rule=");
        return i < 0 ? "" : reason.substring(i + " rule=".length());
    }

    /** What an actuating decision's reason says was done ("applied: ..." / "not applied: ..."), or "" when it says nothing. */
    static String outcomeOf(GovernanceDecision d) {
        if (!actuates(d.action())) {
            return "";
        }
        String r = d.reason();
        int i = Math.max(r.lastIndexOf("; applied: "), r.lastIndexOf("; not applied: "));
        return i < 0 ? "" : r.substring(i + 2);
    }

    /** Applies an actuating decision; any other decision is returned unchanged. */
    GovernanceDecision apply(GovernanceDecision d) {
        if (!actuates(d.action())) {
            return d;
        }
        String outcome;
        try {
            outcome = d.action() == GovernanceAction.THROTTLE ? throttle(d) : pin(d);
        } catch (RuntimeException e) { // a refused value, a service going away under us
            outcome = "not applied: " + e.getMessage();
        }
        LOG.info("EGC {} {}/{}: {}", d.action(), d.module(), d.analysis(), outcome);
        return withReason(d, d.reason() + "; " + outcome);
    }

    private String throttle(GovernanceDecision d) {
        ChannelThrottle t = throttle.get();
        if (t == null) {
            return "not applied: no ChannelThrottle service (the bus bundle is stopped, or it predates API bus 1.3)";
        }
        String channel = d.analysis();
        if (d.value() == 0) {
            Optional<ChannelLimit> gone = t.clear(channel);
            return gone.map(l -> "applied: lifted the limit of channel " + channel + " (" + describe(l) + ")")
                    .orElse("applied: channel " + channel + " had no limit");
        }
        int burst = burstOf(d);
        Optional<ChannelLimit> before = t.limitOf(channel);
        ChannelLimit now = t.limit(channel, d.value(), burst, tag(d.spec(), d.rule()));
        return "applied: channel " + channel + " limited to " + rate(now.packetsPerSecond()) + " packets/s, burst " + now.burst()
                + before.map(l -> " (was " + rate(l.packetsPerSecond()) + " packets/s, burst " + l.burst() + ")").orElse(" (was unlimited)");
    }

    /** The burst of the rule that made the decision, else one second's worth. */
    private static int burstOf(GovernanceDecision d) {
        if (!d.rule().isEmpty()) {
            try {
                Rule r = Rule.parse(d.rule());
                if (r.action() == GovernanceAction.THROTTLE) {
                    return r.burstOrDefault();
                }
            } catch (IllegalArgumentException ignored) {
                // a decision from elsewhere (another node's newer rule syntax): the default burst
            }
        }
        return Rule.defaultBurst(d.value());
    }

    private String pin(GovernanceDecision d) {
        TimeOracle o = oracle.get();
        if (o == null) {
            return "not applied: no TimeOracle service (the scheduler bundle is stopped)";
        }
        if (GovernanceDecision.ALL.equals(d.analysis())) {
            return o.unpin().map(p -> "applied: unpinned the oracle (was " + p.hint() + ")").orElse("applied: the oracle had no pin");
        }
        OptimizationHint hint;
        try {
            hint = OptimizationHint.valueOf(d.analysis().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return "not applied: '" + d.analysis() + "' is not an OptimizationHint (MINIMIZE_LATENCY, MAXIMIZE_THROUGHPUT, BALANCED)";
        }
        long nanos = (long) Math.min(Long.MAX_VALUE / 2, d.value() * 1e9);
        Optional<HintPin> before = o.pinned();
        o.pin(hint, nanos, tag(d.spec(), d.rule()));
        return "applied: oracle hint pinned to " + hint + (nanos == 0 ? " until the spec recovers" : " for " + Numbers.brief(d.value()) + " s")
                + before.map(p -> " (replaces a pin to " + p.hint() + ")").orElse("");
    }

    /**
     * A spec recovered: lifts the channel limits and the oracle pin its violation set (tagged with it)
     * that are still in force, as decisions naming the spec, the robustness and the rule that set them.
     */
    List<GovernanceDecision> undo(String spec, double robustness, long step, long nowNanos) {
        List<GovernanceDecision> out = new ArrayList<>(1);
        String why = String.format(Locale.ROOT, "spec '%s' recovered: robustness %s at sample %d", spec, Numbers.brief(robustness), step);
        ChannelThrottle t = throttle.get();
        if (t != null) {
            try {
                for (ChannelLimit l : t.limits()) {
                    if (Rule.specField(spec).equals(specOf(l.reason()))) {
                        String outcome = t.clear(l.channel()).map(x -> "applied: lifted the limit of channel " + l.channel() + " (" + describe(x) + ")")
                                .orElse("applied: the limit of channel " + l.channel() + " was lifted already");
                        String rule = ruleOf(l.reason());
                        out.add(new GovernanceDecision(Rule.BUS, l.channel(), GovernanceAction.THROTTLE, 0, why + " (undoes rule " + rule + "); "
                                + outcome, nowNanos, Rule.specField(spec), robustness, rule));
                        LOG.info("EGC THROTTLE {}/{}: {}", Rule.BUS, l.channel(), outcome);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("EGC could not lift the channel limits of spec {}: {}", spec, e.toString());
            }
        }
        TimeOracle o = oracle.get();
        if (o != null) {
            try {
                Optional<HintPin> p = o.pinned();
                if (p.isPresent() && Rule.specField(spec).equals(specOf(p.get().reason()))) {
                    o.unpin();
                    String rule = ruleOf(p.get().reason());
                    String outcome = "applied: unpinned the oracle (was " + p.get().hint() + ")";
                    out.add(new GovernanceDecision(Rule.ORACLE, GovernanceDecision.ALL, GovernanceAction.ORACLE_HINT, 0, why + " (undoes rule "
                            + rule + "); " + outcome, nowNanos, Rule.specField(spec), robustness, rule));
                    LOG.info("EGC ORACLE_HINT: {}", outcome);
                }
            } catch (RuntimeException e) {
                LOG.warn("EGC could not unpin the oracle for spec {}: {}", spec, e.toString());
            }
        }
        return out;
    }

    /**
     * After a reconfiguration (monitors restart "satisfied", so a removed or changed spec sends no
     * recovery): lifts the limits and the pin tagged with a spec that is not violated now, as
     * decisions naming that spec and the rule that set them (robustness NaN: no sample made them).
     *
     * @param violated the spec fields ({@link Rule#specField}) of the specs violated now
     */
    List<GovernanceDecision> sweep(java.util.Set<String> violated, long nowNanos) {
        List<GovernanceDecision> out = new ArrayList<>(1);
        String why = " is not violated as now configured (removed, or reconfigured: its monitor restarted satisfied)";
        ChannelThrottle t = throttle.get();
        if (t != null) {
            try {
                for (ChannelLimit l : t.limits()) {
                    String spec = specOf(l.reason());
                    if (spec != null && !spec.isEmpty() && !violated.contains(spec)) {
                        String outcome = t.clear(l.channel()).map(x -> "applied: lifted the limit of channel " + l.channel() + " (" + describe(x) + ")")
                                .orElse("applied: the limit of channel " + l.channel() + " was lifted already");
                        String rule = ruleOf(l.reason());
                        out.add(new GovernanceDecision(Rule.BUS, l.channel(), GovernanceAction.THROTTLE, 0, "spec '" + spec + "'" + why
                                + " (undoes rule " + rule + "); " + outcome, nowNanos, Rule.specField(spec), Double.NaN, rule));
                        LOG.info("EGC THROTTLE {}/{}: {}", Rule.BUS, l.channel(), outcome);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("EGC could not lift the channel limits of specs no longer violated: {}", e.toString());
            }
        }
        TimeOracle o = oracle.get();
        if (o != null) {
            try {
                Optional<HintPin> p = o.pinned();
                String spec = p.map(x -> specOf(x.reason())).orElse(null);
                if (spec != null && !spec.isEmpty() && !violated.contains(spec)) {
                    o.unpin();
                    String rule = ruleOf(p.get().reason());
                    out.add(new GovernanceDecision(Rule.ORACLE, GovernanceDecision.ALL, GovernanceAction.ORACLE_HINT, 0, "spec '" + spec + "'" + why
                            + " (undoes rule " + rule + "); applied: unpinned the oracle (was " + p.get().hint() + ")", nowNanos,
                            Rule.specField(spec), Double.NaN, rule));
                    LOG.info("EGC ORACLE_HINT: unpinned the oracle (spec {} no longer violated)", spec);
                }
            } catch (RuntimeException e) {
                LOG.warn("EGC could not unpin the oracle: {}", e.toString());
            }
        }
        return out;
    }

    private static String describe(ChannelLimit l) {
        return rate(l.packetsPerSecond()) + " packets/s, burst " + l.burst() + "; " + l.admitted() + " admitted, " + l.delayed() + " delayed, "
                + l.refused() + " refused";
    }

    static String rate(double r) {
        return r == Math.rint(r) && Math.abs(r) < 1e15 ? Long.toString((long) r) : Numbers.brief(r);
    }

    private static GovernanceDecision withReason(GovernanceDecision d, String reason) {
        return new GovernanceDecision(d.module(), d.analysis(), d.action(), d.value(), reason, d.timeNanos(), d.spec(), d.robustness(), d.rule());
    }
}

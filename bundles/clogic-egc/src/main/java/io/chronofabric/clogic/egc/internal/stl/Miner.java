package io.chronofabric.clogic.egc.internal.stl;

import java.util.Locale;
import java.util.Map;

/**
 * Parametric STL mining (Asarin, Donzé, Maler, Nickovic 2011): for a template with one parameter
 * {@code c} in which the robustness at t=0 is monotone (e.g. {@code always(x <= c)}), the tightest c
 * the observed signal satisfies, found by bisection on the robustness sign and snapped to a sample
 * value when it is one (then exact: for always(x &lt;= c) it is max x), plus a margin towards the
 * satisfied side.
 */
public final class Miner {
    private Miner() { }

    /** tightest = boundary of the validity domain; proposed = tightest moved by margin into it; increasing = larger c satisfies. */
    public record Result(double tightest, double proposed, boolean increasing, int samples, String spec) { }

    public static Result mine(String template, String signal, double[] values, double marginFraction, String param) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no samples of '" + signal + "' to learn from");
        }
        if (!(marginFraction >= 0) || Double.isInfinite(marginFraction)) {
            throw new IllegalArgumentException("margin must be a finite number >= 0, was " + marginFraction);
        }
        Spec spec = Spec.parse(template);
        if (!spec.inputs().contains(param)) {
            throw new IllegalArgumentException("template '" + template + "' has no parameter '" + param + "'");
        }
        if (!spec.inputs().contains(signal)) {
            throw new IllegalArgumentException("template '" + template + "' does not read signal '" + signal + "'");
        }
        if (spec.inputs().size() != 2) {
            throw new IllegalArgumentException("template '" + template + "' reads " + spec.inputs() + ": only '" + signal + "' and '" + param + "' are allowed");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("sample of '" + signal + "' is " + v + ": only finite samples can be mined");
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double range = max - min;
        double scale = range > 0 ? range : Math.max(1, Math.abs(max));
        double lo = min - 10 * scale - 1;
        double hi = max + 10 * scale + 1;
        double flo = robustness(spec, signal, values, param, lo);
        double fhi = robustness(spec, signal, values, param, hi);
        boolean increasing;
        if (flo < 0 && fhi >= 0) {
            increasing = true;
        } else if (flo >= 0 && fhi < 0) {
            increasing = false;
        } else {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "template '%s' is %s for every %s in [%g, %g]: no threshold to learn (is it monotone in %s?)", template,
                    flo >= 0 ? "satisfied" : "violated", param, lo, hi, param));
        }
        // invariant: f(bad) < 0 <= f(good)
        double bad = increasing ? lo : hi;
        double good = increasing ? hi : lo;
        for (int i = 0; i < 200 && Math.abs(good - bad) > 1e-13 * scale; i++) {
            double mid = (bad + good) / 2;
            if (robustness(spec, signal, values, param, mid) >= 0) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        double c = good;
        double nearest = Double.NaN;
        for (double v : values) {
            if (Math.abs(v - c) <= 1e-9 * scale && (Double.isNaN(nearest) || Math.abs(v - c) < Math.abs(nearest - c))) {
                nearest = v;
            }
        }
        if (!Double.isNaN(nearest) && robustness(spec, signal, values, param, nearest) >= 0) {
            c = nearest;
        }
        double proposed = c + (increasing ? 1 : -1) * marginFraction * scale;
        String text = substitute(template, param, proposed);
        return new Result(c, proposed, increasing, values.length, text);
    }

    private static double robustness(Spec spec, String signal, double[] values, String param, double c) {
        double[] cs = new double[values.length];
        java.util.Arrays.fill(cs, c);
        return Offline.evaluate(spec, Map.of(signal, values, param, cs))[0];
    }

    /**
     * The proposal as an online-monitorable spec: {@code always(ψ)} without bound is an invariant, which
     * EGC checks at every sample as ψ itself (a violation at the first sample where ψ fails); bounded
     * formulas stay as they are. Throws naming the reason when no such form exists.
     */
    public static String monitorable(String proposal, double periodSeconds) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*(?:always|G)\\s*\\((.*)\\)\\s*$", java.util.regex.Pattern.DOTALL)
                .matcher(proposal);
        String candidate = proposal;
        if (m.matches() && Spec.parse(proposal, periodSeconds).formula() instanceof Node.Temporal t && t.hi() == Node.INF && t.lo() == 0) {
            candidate = m.group(1).trim();
        }
        new OnlineMonitor(Spec.parse(candidate, periodSeconds)); // throws with the reason
        return candidate;
    }

    /** The template with the parameter (as a whole word) replaced by the number. */
    static String substitute(String template, String param, double value) {
        String num = value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
        return template.replaceAll("(?<![A-Za-z0-9_.])" + java.util.regex.Pattern.quote(param) + "(?![A-Za-z0-9_.])",
                java.util.regex.Matcher.quoteReplacement(value < 0 ? "(" + num + ")" : num));
    }
}

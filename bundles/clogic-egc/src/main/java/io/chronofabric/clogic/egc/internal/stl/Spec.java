package io.chronofabric.clogic.egc.internal.stl;

import java.util.List;
import java.util.Map;

/**
 * A parsed specification: the output's formula (constants and earlier assignments substituted), the
 * input signals in declaration order (or order of first use for a bare formula) and the sampling period.
 */
public record Spec(String text, String output, Node formula, List<String> inputs, Map<String, Double> constants, double periodSeconds) {

    /** Parses with period 1 s (unitless interval bounds are samples in any case). */
    public static Spec parse(String text) {
        return Parser.parse(text, 1.0);
    }

    public static Spec parse(String text, double periodSeconds) {
        return Parser.parse(text, periodSeconds);
    }

    /** Samples of future the formula needs, or {@link Node#INF} when it has an unbounded future operator. */
    public long horizon() {
        return Pastifier.horizon(formula);
    }

    public int inputIndex(String name) {
        return inputs.indexOf(name);
    }
}

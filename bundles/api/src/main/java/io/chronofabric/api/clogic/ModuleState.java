package io.chronofabric.api.clogic;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a module is doing now, for the console and the coordinator. Immutable.
 *
 * @param module    the module's name
 * @param activity  one line: what it is doing ("idle: no input configured", "appraising 3 goals")
 * @param inputs    its input bindings now in force
 * @param processed input packets handled since it started (including restored counts), -1 if unknown
 * @param skipped   input packets it counted and skipped as bad, -1 if unknown
 * @param backlog   input packets waiting to be handled, -1 if unknown
 * @param lagNanos  how far behind its input it is: the age of the packet it handled last, from the
 *                  bus's publish time to when it was handled (nanoseconds), -1 if unknown or none yet
 * @param metrics   key metrics by name, each finite, unmodifiable
 * @throws IllegalArgumentException naming the field that is wrong
 */
public record ModuleState(String module, String activity, List<InputBinding> inputs, long processed, long skipped,
        long backlog, long lagNanos, Map<String, Double> metrics) {

    public ModuleState {
        Checks.name("Module name", module);
        Objects.requireNonNull(activity, "Module activity");
        inputs = List.copyOf(inputs);
        if (processed < -1 || skipped < -1 || backlog < -1 || lagNanos < -1) {
            throw new IllegalArgumentException("Module state of " + module + ": counts must be -1 (unknown) or more, got processed="
                    + processed + " skipped=" + skipped + " backlog=" + backlog + " lag=" + lagNanos);
        }
        metrics = Checks.values("Metric", metrics);
    }
}

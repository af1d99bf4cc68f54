package io.chronofabric.compute.mlir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed and verified module: its {@code builtin.module} op and its functions by name (those
 * of the top-level module and of nested modules that are not transform schedules).
 */
public final class MlirModule {

    private final Operation op;
    private final Map<String, Function> functions;
    private final List<String> notes;
    private final List<Operation> unsupported;

    MlirModule(Operation op, Map<String, Function> functions, List<String> notes, List<Operation> unsupported) {
        this.op = op;
        this.functions = Collections.unmodifiableMap(new LinkedHashMap<>(functions));
        this.notes = List.copyOf(notes);
        this.unsupported = List.copyOf(unsupported);
    }

    /** Ops outside the subset kept by {@link MlirParser#parseLenient}; empty for a parsed and verified module. */
    public List<Operation> unsupportedOps() {
        return unsupported;
    }

    public Operation op() {
        return op;
    }

    /** Functions by symbol name, in source order (declarations included). */
    public Map<String, Function> functions() {
        return functions;
    }

    /** Function {@code name} (with or without the leading {@code @}); throws naming it and the ones there are. */
    public Function function(String name) {
        String n = name.startsWith("@") ? name.substring(1) : name;
        Function f = functions.get(n);
        if (f == null) {
            throw new MlirException(Location.UNKNOWN, "unknown function @" + n + ": the module defines "
                    + (functions.isEmpty() ? "none" : "@" + String.join(", @", functions.keySet())));
        }
        return f;
    }

    /**
     * What the parser left out on purpose, one line each, e.g. a transform schedule
     * ({@code module attributes {transform.with_named_sequence}}) skipped like mlir-opt's
     * {@code -test-transform-dialect-erase-schedule}.
     */
    public List<String> notes() {
        return notes;
    }

    /** Every op of the module, depth first in source order (nested regions after their op). */
    public void walk(java.util.function.Consumer<Operation> visitor) {
        walk(op, visitor);
    }

    public static void walk(Operation o, java.util.function.Consumer<Operation> visitor) {
        visitor.accept(o);
        for (Region r : o.regions()) {
            for (Block b : r.blocks()) {
                for (Operation inner : b.operations()) {
                    walk(inner, visitor);
                }
            }
        }
    }
}

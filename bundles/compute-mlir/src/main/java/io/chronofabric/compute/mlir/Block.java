package io.chronofabric.compute.mlir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A block: arguments and ops in order, the last one its terminator. */
public final class Block {

    private final String label;
    private final List<Value> arguments = new ArrayList<>();
    private final List<Operation> operations = new ArrayList<>();

    Block(String label) {
        this.label = label;
    }

    /** {@code ^bb0}, or null when the block had no label. */
    public String label() {
        return label;
    }

    public List<Value> arguments() {
        return Collections.unmodifiableList(arguments);
    }

    public List<Operation> operations() {
        return Collections.unmodifiableList(operations);
    }

    /** The last op, or null when empty. */
    public Operation terminator() {
        return operations.isEmpty() ? null : operations.get(operations.size() - 1);
    }

    Value addArgument(String name, Type type) {
        Value v = new Value(name, type, null, this, arguments.size());
        arguments.add(v);
        return v;
    }

    void add(Operation op) {
        operations.add(op);
    }
}

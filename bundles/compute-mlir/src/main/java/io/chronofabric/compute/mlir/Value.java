package io.chronofabric.compute.mlir;

/**
 * An SSA value: a result of an {@link Operation} or an argument of a {@link Block}. Identity
 * matters (two values are the same only if they are the same object); {@link #name()} is the
 * name it had in the source ({@code %0}, {@code %arg1}, {@code %x#1}).
 */
public final class Value {

    private final String name;
    private final Type type;
    private final Operation owner;
    private final Block block;
    private final int index;

    Value(String name, Type type, Operation owner, Block block, int index) {
        this.name = name;
        this.type = type;
        this.owner = owner;
        this.block = block;
        this.index = index;
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    /** The op that defines it, or null for a block argument. */
    public Operation definingOp() {
        return owner;
    }

    /** The block it is an argument of, or null for an op result. */
    public Block ownerBlock() {
        return block;
    }

    /** Its position among its op's results or its block's arguments. */
    public int index() {
        return index;
    }

    public boolean isBlockArgument() {
        return block != null;
    }

    /** Its tensor type; throws naming the value when it is a scalar. */
    public TensorType tensorType() {
        if (type instanceof TensorType t) {
            return t;
        }
        throw new IllegalStateException(name + " has type " + type.text() + ", not a tensor");
    }

    @Override
    public String toString() {
        return name + " : " + type.text();
    }
}

package io.chronofabric.compute.mlir;

/**
 * A {@code func.func}: its symbol name, type, visibility and body (null for a declaration
 * such as {@code func.func private @printMemrefF32(tensor<*xf32>)}).
 */
public record Function(String name, FunctionType type, String visibility, Operation op) {

    public boolean isDeclaration() {
        return op.regions().isEmpty() || op.regions().get(0).isEmpty();
    }

    /** The entry block: arguments are the function's parameters. Throws for a declaration. */
    public Block body() {
        if (isDeclaration()) {
            throw new MlirException(op.location(), "function @" + name + " is a declaration: it has no body");
        }
        return op.body(0);
    }
}

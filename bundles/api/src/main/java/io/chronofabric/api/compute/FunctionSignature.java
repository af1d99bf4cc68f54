package io.chronofabric.api.compute;

import java.util.List;
import java.util.Objects;

/**
 * A function of a compiled module: its name, its parameters in order and its result types.
 * Parameter names are the SSA names of the MLIR arguments without {@code %} ({@code arg0} for
 * {@code %arg0}). Immutable.
 *
 * @param name       function name without {@code @}
 * @param parameters the parameters in order
 * @param results    the result types in order
 * @since 1.1
 */
public record FunctionSignature(String name, List<Parameter> parameters, List<TensorType> results) {

    public FunctionSignature {
        Objects.requireNonNull(name, "name");
        parameters = List.copyOf(parameters);
        results = List.copyOf(results);
    }

    /**
     * One parameter.
     *
     * @param name parameter name without {@code %}
     * @param type its type
     */
    public record Parameter(String name, TensorType type) {
        public Parameter {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * Checks arguments against the parameters.
     *
     * @throws IllegalArgumentException naming the function and the first argument that does not
     *         fit (count, element type or dimension)
     */
    public void checkArguments(List<Tensor> arguments) {
        if (arguments.size() != parameters.size()) {
            throw new IllegalArgumentException("function @" + name + " takes " + parameters.size()
                    + " argument(s), got " + arguments.size());
        }
        for (int i = 0; i < parameters.size(); i++) {
            Tensor a = arguments.get(i);
            if (a == null) {
                throw new IllegalArgumentException("argument %" + parameters.get(i).name()
                        + " of @" + name + " is null");
            }
            String why = parameters.get(i).type().mismatch(a);
            if (why != null) {
                throw new IllegalArgumentException("argument %" + parameters.get(i).name()
                        + " of @" + name + ": " + why);
            }
        }
    }

    /**
     * Checks output buffers for {@link ComputeBackend#execute(CompiledModule, String, List,
     * List)}: one entry per result ({@code null}: that result is returned as a tensor), each
     * buffer unreleased, of the result's element type, large enough for a result of static shape,
     * and no buffer given twice.
     *
     * @throws IllegalArgumentException naming the function, the output and the mismatch
     * @since 1.2
     */
    public void checkOutputs(List<DeviceBuffer> outputs) {
        Objects.requireNonNull(outputs, "outputs");
        if (outputs.size() != results.size()) {
            throw new IllegalArgumentException("function @" + name + " has " + results.size()
                    + " result(s), got " + outputs.size() + " output buffer(s) (null for a result returned as a tensor)");
        }
        for (int i = 0; i < outputs.size(); i++) {
            DeviceBuffer b = outputs.get(i);
            if (b == null) {
                continue;
            }
            TensorType t = results.get(i);
            if (b.isReleased()) {
                throw new IllegalArgumentException("output " + i + " of @" + name + ": the buffer is released");
            }
            if (b.elementType() != t.elementType()) {
                throw new IllegalArgumentException("output " + i + " of @" + name + ": result " + t
                        + " into a buffer of " + b.elementType());
            }
            if (t.isRanked() && t.isStatic()) {
                long n = 1;
                for (int d : t.shape()) {
                    n *= d;
                }
                if (n > b.elements()) {
                    throw new IllegalArgumentException("output " + i + " of @" + name + ": result " + t
                            + " has " + n + " elements, the buffer " + b.elements());
                }
            }
            for (int j = 0; j < i; j++) {
                if (outputs.get(j) == b) {
                    throw new IllegalArgumentException("outputs " + j + " and " + i + " of @" + name
                            + " are the same buffer");
                }
            }
        }
    }

    /** MLIR-like text, e.g. {@code @f(%arg0: tensor<4xf32>) -> (tensor<4xf32>)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("@").append(name).append('(');
        for (int i = 0; i < parameters.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('%').append(parameters.get(i).name()).append(": ").append(parameters.get(i).type());
        }
        sb.append(") -> (");
        for (int i = 0; i < results.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(results.get(i));
        }
        return sb.append(')').toString();
    }
}

package io.chronofabric.compute.mlir;

import java.util.List;
import java.util.stream.Collectors;

/** {@code (inputs) -> results}. */
public record FunctionType(List<Type> inputs, List<Type> results) implements Type {

    public FunctionType {
        inputs = List.copyOf(inputs);
        results = List.copyOf(results);
    }

    @Override
    public String text() {
        String in = inputs.stream().map(Type::text).collect(Collectors.joining(", ", "(", ")"));
        String out = results.size() == 1 && !(results.get(0) instanceof FunctionType) ? results.get(0).text()
                : results.stream().map(Type::text).collect(Collectors.joining(", ", "(", ")"));
        return in + " -> " + out;
    }

    @Override
    public String toString() {
        return text();
    }
}

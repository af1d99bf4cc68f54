package io.chronofabric.api.compute;

import java.util.ArrayList;
import java.util.List;

/** The default way of writing results into output buffers (not API: package-private). */
final class Outputs {

    private Outputs() {
    }

    /**
     * Writes result {@code i} into {@code outputs.get(i)} where that is not null; returns the
     * result with the others.
     *
     * @throws IllegalArgumentException naming the output when a result does not fit its buffer
     */
    static ExecutionResult writeInto(ExecutionResult r, List<DeviceBuffer> outputs, String function) {
        List<Tensor> rest = new ArrayList<>();
        for (int i = 0; i < r.results().size(); i++) {
            Tensor t = r.results().get(i);
            DeviceBuffer b = i < outputs.size() ? outputs.get(i) : null;
            if (b == null) {
                rest.add(t);
                continue;
            }
            if (t.size() > b.elements()) {
                throw new IllegalArgumentException("output " + i + " of @" + function + ": result " + t.type()
                        + " has " + t.size() + " elements, the buffer " + b.elements());
            }
            b.write(t);
        }
        return new ExecutionResult(rest, r.backend(), r.elapsedNanos());
    }
}

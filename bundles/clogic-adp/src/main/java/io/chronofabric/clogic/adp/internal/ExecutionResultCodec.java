package io.chronofabric.clogic.adp.internal;

import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.network.PayloadCodec;
import org.osgi.service.component.annotations.Component;

/** Lets an {@link ExecutionResult} (a remote compute responder's reply) cross nodes; see {@link RemoteWire}. */
@Component(service = PayloadCodec.class)
public final class ExecutionResultCodec implements PayloadCodec<ExecutionResult> {

    public static final String NAME = "io.chronofabric.compute.ExecutionResult/1";

    @Override
    public Class<ExecutionResult> type() {
        return ExecutionResult.class;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] encode(ExecutionResult payload) {
        return RemoteWire.encodeResult(payload);
    }

    @Override
    public ExecutionResult decode(byte[] bytes) {
        return RemoteWire.decodeResult(bytes);
    }
}

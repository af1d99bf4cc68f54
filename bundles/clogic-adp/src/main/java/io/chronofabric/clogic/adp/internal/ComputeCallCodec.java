package io.chronofabric.clogic.adp.internal;

import io.chronofabric.api.adp.ComputeCall;
import io.chronofabric.api.network.PayloadCodec;
import org.osgi.service.component.annotations.Component;

/** Lets a {@link ComputeCall} (a remote place's request) cross nodes; see {@link RemoteWire}. */
@Component(service = PayloadCodec.class)
public final class ComputeCallCodec implements PayloadCodec<ComputeCall> {

    public static final String NAME = "io.chronofabric.adp.ComputeCall/1";

    @Override
    public Class<ComputeCall> type() {
        return ComputeCall.class;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] encode(ComputeCall payload) {
        return RemoteWire.encodeCall(payload);
    }

    @Override
    public ComputeCall decode(byte[] bytes) {
        return RemoteWire.decodeCall(bytes);
    }
}

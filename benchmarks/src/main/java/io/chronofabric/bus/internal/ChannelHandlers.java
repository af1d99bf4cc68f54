package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PacketHandler;

/** Benchmark access: a whiteboard-style handler on a channel, as the bus component adds one. */
public final class ChannelHandlers {

    private ChannelHandlers() {
    }

    public static void add(PhaseCoherenceBus bus, PacketHandler<?> handler, String channel) {
        bus.addHandler(handler, Object.class, channel, -1, "benchmark");
    }

    /** A same-thread handler: called on the publisher's thread inside {@code publish}. */
    public static void addSameThread(PhaseCoherenceBus bus, PacketHandler<?> handler, String channel) {
        bus.addHandler(handler, Object.class, channel, -1, "benchmark", true);
    }
}

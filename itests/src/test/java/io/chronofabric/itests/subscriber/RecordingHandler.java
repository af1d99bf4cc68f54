package io.chronofabric.itests.subscriber;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A whiteboard subscriber living in its own bundle: keeps the payloads it receives and hands a
 * copy out through {@link Callable} (a JDK type, so the test sees it across class loaders).
 */
public class RecordingHandler implements PacketHandler<Object>, Callable<List<String>> {

    private final List<String> received = new CopyOnWriteArrayList<>();

    @Override
    public void onPacket(PhasePacket<Object> packet) {
        received.add(String.valueOf(packet.payload()));
    }

    @Override
    public List<String> call() {
        return new ArrayList<>(received);
    }
}

package io.chronofabric.example.sensorpipeline.internal;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.clogic.ClogicChannels;
import io.chronofabric.api.clogic.PatternEvent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** DRPP's pattern events on {@value ClogicChannels#DRPP_PATTERNS}, handed to the {@link SensorPublisher}. */
@Component(name = "io.chronofabric.example.sensorpipeline.patterns", service = PacketHandler.class, immediate = true,
        property = {PacketHandler.CHANNEL + "=" + ClogicChannels.DRPP_PATTERNS, PacketHandler.TYPE + "=io.chronofabric.api.clogic.PatternEvent"})
public final class PatternHandler implements PacketHandler<PatternEvent> {

    private final SensorPublisher publisher;

    @Activate
    public PatternHandler(@Reference SensorPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void onPacket(PhasePacket<PatternEvent> packet) {
        publisher.onPattern(packet.payload());
    }

    @Override
    public String toString() {
        return "Sensor pipeline: DRPP patterns";
    }
}

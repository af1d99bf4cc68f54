package io.chronofabric.example.sensorpipeline.internal;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.clogic.ClogicChannels;
import io.chronofabric.api.clogic.GovernanceDecision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** EGC's decisions on {@value ClogicChannels#EGC_DECISIONS}, handed to the {@link SensorPublisher}. */
@Component(name = "io.chronofabric.example.sensorpipeline.decisions", service = PacketHandler.class, immediate = true,
        property = {PacketHandler.CHANNEL + "=" + ClogicChannels.EGC_DECISIONS,
            PacketHandler.TYPE + "=io.chronofabric.api.clogic.GovernanceDecision"})
public final class DecisionHandler implements PacketHandler<GovernanceDecision> {

    private final SensorPublisher publisher;

    @Activate
    public DecisionHandler(@Reference SensorPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void onPacket(PhasePacket<GovernanceDecision> packet) {
        publisher.govern(packet.payload());
    }

    @Override
    public String toString() {
        return "Sensor pipeline: EGC decisions";
    }
}

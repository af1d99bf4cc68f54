package io.chronofabric.example.sensorpipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.EventBusTx;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.PublishStatus;
import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.PatternKind;
import io.chronofabric.api.clogic.Sample;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SensorPublisherTest {

    private final List<PhasePacket<?>> sent = new ArrayList<>();
    private final EventBusTx bus = (EventBusTx) Proxy.newProxyInstance(EventBusTx.class.getClassLoader(), new Class<?>[] {EventBusTx.class},
            (p, m, args) -> {
                if (m.getName().equals("tryPublish")) {
                    synchronized (sent) {
                        sent.add((PhasePacket<?>) args[0]);
                    }
                    return PublishStatus.ACCEPTED;
                }
                throw new UnsupportedOperationException(m.getName());
            });
    // 0.1 samples/s: the timer waits 10 s before its first step, so the test steps by hand
    private final SensorPublisher publisher = new SensorPublisher(bus, Configs.config("rate", 0.1, "frequencies_hz",
            new String[] {"0.01, 0.02, 0.03"}));

    @AfterEach
    void stop() {
        publisher.deactivate();
    }

    private static GovernanceDecision alert(double severity) {
        return new GovernanceDecision("*", "*", GovernanceAction.ALERT, severity, "spec 'sensor_bounds' "
                + (severity > 0 ? "violated" : "recovered") + ": robustness -2 at sample 4 (rule default)", 1, "sensor_bounds", -2, "default");
    }

    @Test
    void shouldPublishASampleOfEverySensorOnTheDrppAndEgcChannels() {
        publisher.tick();

        List<PhasePacket<?>> packets;
        synchronized (sent) {
            packets = List.copyOf(sent);
        }
        assertThat(packets).extracting(PhasePacket::channel)
                .containsExactly("drpp.input", "egc.input", "drpp.input", "egc.input", "drpp.input", "egc.input");
        assertThat(packets).extracting(p -> ((Sample) p.payload()).stream())
                .containsExactly("sensor.a", "sensor.a", "sensor.b", "sensor.b", "sensor.c", "sensor.c");
        assertThat(publisher.answer("status")).contains("published 6, dropped 0");
    }

    @Test
    void shouldSlowDownWhileTheBoundsSpecIsViolated() {
        assertThat(publisher.answer("rate")).isEqualTo("0.10");

        publisher.govern(alert(0.7));
        assertThat(publisher.answer("rate")).isEqualTo("0.03"); // 0.1 x 0.25 = 0.025
        assertThat(publisher.effectiveRate()).isEqualTo(0.025);
        assertThat(publisher.answer("status")).contains("Slowed down by EGC: sensor_bounds violated");

        publisher.govern(alert(0));
        assertThat(publisher.effectiveRate()).isEqualTo(0.1);
        assertThat(publisher.answer("status")).contains("Full rate");
    }

    @Test
    void shouldReportWhatDrppFoundInTheSensors() {
        publisher.onPattern(new PatternEvent(PatternKind.CHANGEPOINT, List.of("sensor.c"), Map.of(PatternEvent.INDEX, 40.0), 3, "cusum up"));
        publisher.onPattern(new PatternEvent(PatternKind.RESONANCE, List.of("drpp.input"), Map.of(PatternEvent.FREQUENCY, 0.1), 3, ""));

        assertThat(publisher.answer("status")).contains("DRPP patterns: CHANGEPOINT 1", "Suspect sensors: sensor.c: changepoint at sample 40");
        assertThat(publisher.answer("patterns")).isEqualTo("CHANGEPOINT sensor.c index=40.00 (cusum up)");
    }

    @Test
    void shouldRefuseAnUnknownRequestAndKeepItsSettingsOnABadConfiguration() {
        assertThatThrownBy(() -> publisher.answer("speed")).hasMessageContaining("'speed' is not status, rate or patterns");

        publisher.modified(Configs.config("rate", -5.0));
        assertThat(publisher.answer("rate")).isEqualTo("0.10");
    }
}

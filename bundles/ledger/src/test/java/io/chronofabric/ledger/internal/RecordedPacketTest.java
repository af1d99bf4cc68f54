package io.chronofabric.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.ledger.record.RecordedPacket;
import org.junit.jupiter.api.Test;

class RecordedPacketTest {

    @Test
    void shouldRoundTripAPublishedPacket() {
        PhasePacket<String> p = PhasePacket.builder("grüße").channel("audit").source(ComponentId.of(9)).build();
        p.stamp(new Object(), 77, new LogicalTime(123, 4, 5), 123, Long.MAX_VALUE);
        RecordedPacket r = RecordedPacket.decode(RecordedPacket.of(p, "audit").encode());
        assertThat(r.channel()).isEqualTo("audit");
        assertThat(r.timestamp()).isEqualTo(new LogicalTime(123, 4, 5));
        assertThat(r.messageId()).isEqualTo(77);
        assertThat(r.payloadType()).isEqualTo("java.lang.String");
        assertThat(r.payloadText()).isEqualTo("grüße");
    }

    @Test
    void shouldRefuseBytesThatAreNotARecord() {
        assertThatThrownBy(() -> RecordedPacket.decode("hello".getBytes())).hasMessageContaining("CFR1");
        assertThatThrownBy(() -> RecordedPacket.decode(new byte[] {'C', 'F', 'R', '1', 0})).hasMessageContaining("too short");
    }
}

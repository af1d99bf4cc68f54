package itest.example.hello;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.BusStats;
import io.chronofabric.api.bus.EventBusTx;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.PublishStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GreetingHandlerTest {

    /** Records what is published; the real bus is not needed to test a handler. */
    static final class RecordingBus implements EventBusTx {
        final List<PhasePacket<?>> published = new ArrayList<>();

        @Override
        public long publish(PhasePacket<?> packet) {
            published.add(packet);
            return published.size();
        }

        @Override
        public long[] publishBatch(List<? extends PhasePacket<?>> packets) {
            return packets.stream().mapToLong(this::publish).toArray();
        }

        @Override
        public PublishStatus tryPublish(PhasePacket<?> packet) {
            publish(packet);
            return PublishStatus.ACCEPTED;
        }

        @Override
        public long publishWithDeadline(PhasePacket<?> packet, long deadlineNanos) {
            return publish(packet);
        }

        @Override
        public int subscriberCount(Class<?> type) {
            return 0;
        }

        @Override
        public int subscriberCount(String channel) {
            return 0;
        }

        @Override
        public BusStats stats() {
            throw new UnsupportedOperationException("not needed here");
        }

        @Override
        public boolean isHealthy() {
            return true;
        }
    }

    @Test
    void shouldPublishAGreetingOnTheGreetingsChannel() {
        GreetingHandler handler = new GreetingHandler();
        RecordingBus bus = new RecordingBus();
        handler.bus = bus;

        handler.onPacket(PhasePacket.builder(" Ada ").channel(GreetingHandler.CHANNEL).build());

        assertThat(bus.published).hasSize(1);
        assertThat(bus.published.get(0).channel()).isEqualTo(GreetingHandler.GREETINGS);
        assertThat(bus.published.get(0).payload()).isEqualTo("Hello, Ada!");
    }

    @Test
    void shouldGreetTheWorldForAnEmptyName() {
        assertThat(GreetingHandler.greeting("")).isEqualTo("Hello, world!");
    }
}

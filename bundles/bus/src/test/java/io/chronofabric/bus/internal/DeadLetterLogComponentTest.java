package io.chronofabric.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.DeadLetterEntry;
import io.chronofabric.api.bus.DeadLetterLog;
import io.chronofabric.api.bus.DeliveryOptions;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.bus.SubscriptionId;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.HealthStatus;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.core.Priority;
import io.chronofabric.api.core.ServiceUnavailableException;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DeadLetterLogComponentTest extends DeadLetterTestSupport {

    @Test
    void shouldReplayACopyWithTheSameRoutingThroughTheBusAndRefuseASecondReplayUnlessForced() throws IOException {
        RecordingBus bus = new RecordingBus();
        DeadLetterLogComponent log = DeadLetterLogComponent.on(open(), bus);
        PhasePacket<String> original = stamped(PhasePacket.builder("order 17").channel("orders").priority(Priority.CRITICAL)
                .targets(ComponentId.of(9)).guaranteed(7).timeout(300 * MS).source(ComponentId.of(10)).sourceTask(44)
                .deadline(now.get() + 5 * MS).dependsOn(MessageId.pack(1, 2)).temporalPhase(1.5).coherenceScore(0.25f).build(), 3);
        long seq = log.record(original, "retries exhausted for sub-3 (queue full)", new SubscriptionId(3), null);

        MessageId first = log.replay(seq);

        assertThat(bus.published).hasSize(1);
        PhasePacket<?> copy = bus.published.get(0);
        assertThat(copy).isNotSameAs(original);
        assertThat(copy.isStamped()).as("the bus stamps the copy, not the log").isFalse();
        assertThat(copy.payload()).isSameAs(original.payload());
        assertThat(copy.channel()).isEqualTo("orders");
        assertThat(copy.priority()).isEqualTo(Priority.CRITICAL);
        assertThat(copy.targetMask()).isEqualTo(ComponentId.of(9).mask());
        assertThat(copy.delivery()).isEqualTo(new DeliveryOptions(original.delivery().guarantee(), 7, 300 * MS));
        assertThat(copy.delivery().isGuaranteed()).isTrue();
        assertThat(copy.routing().source()).isEqualTo(ComponentId.of(10));
        assertThat(copy.routing().sourceTaskId()).isEqualTo(44);
        assertThat(copy.hasDeadline()).isFalse();
        assertThat(copy.deadlineNanos()).isEqualTo(RoutingMetadata.NO_DEADLINE);
        assertThat(copy.causalDependencyCount()).isZero();
        assertThat(copy.temporalPhase()).isEqualTo(1.5);
        assertThat(copy.coherenceScore()).isEqualTo(0.25f);

        now.addAndGet(77);
        DeadLetterEntry e = log.get(seq);
        assertThat(e.isReplayed()).isTrue();
        assertThat(e.replayedAs()).isEqualTo(first);
        assertThat(e.replayCount()).isEqualTo(1);
        assertThatThrownBy(() -> log.replay(seq)).isInstanceOf(IllegalStateException.class)
                .hasMessage("Dead letter " + seq + " was already replayed as message " + first + "; replay it again with force");
        assertThat(bus.published).hasSize(1);

        MessageId second = log.replay(seq, true);
        assertThat(second).isNotEqualTo(first);
        assertThat(bus.published).hasSize(2);
        assertThat(log.get(seq).replayedAs()).isEqualTo(second);
        assertThat(log.get(seq).replayCount()).isEqualTo(2);
    }

    @Test
    void shouldReplayATypedPacketAsATypedPacket() throws IOException {
        RecordingBus bus = new RecordingBus();
        DeadLetterLogComponent log = DeadLetterLogComponent.on(open(), bus);
        long seq = log.record(stamped(PhasePacket.of(5L, ComponentId.SYSTEM), 0), "handler failed", null, new RuntimeException("x"));
        log.replay(seq);
        assertThat(bus.published.get(0).channel()).isNull();
        assertThat(bus.published.get(0).payload()).isEqualTo(5L);
        assertThat(bus.published.get(0).delivery()).isEqualTo(DeliveryOptions.BEST_EFFORT);
    }

    @Test
    void shouldRefuseReplayWithoutABusAndForUnknownSequencesNamingThem() throws IOException {
        DeadLetterLogComponent log = DeadLetterLogComponent.on(open(), null);
        long seq = log.record(stamped(PhasePacket.of("x", ComponentId.SYSTEM), 0), "r", null, null);
        assertThatThrownBy(() -> log.replay(seq)).isInstanceOf(ServiceUnavailableException.class)
                .hasMessageContaining("bus unavailable").hasMessageContaining("dead letter 0");
        assertThat(log.get(seq).isReplayed()).isFalse();
        assertThatThrownBy(() -> log.replay(5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No dead letter 5: the log holds 1 entries, sequences 0 to 0");
    }

    @Test
    void shouldReportEntriesEvictionsAndTextOnlyPayloadsInHealth() throws IOException {
        DeadLetterLogComponent log = DeadLetterLogComponent.on(open(bounded(8, DeadLetterStore.MIN_MAX_BYTES)), new RecordingBus());
        for (int i = 0; i < 12; i++) {
            log.record(stamped(PhasePacket.of(new Object(), ComponentId.SYSTEM), i), "r", null, null);
        }
        HealthReport h = log.health();
        DeadLetterLog api = log;
        assertThat(h.status()).isEqualTo(HealthStatus.UP);
        assertThat(h.summary()).startsWith(api.size() + " dead letters (sequences " + api.firstSequence() + " to 11)");
        assertThat(h.details()).anyMatch(d -> d.contains("evicted since start " + (12 - api.size())));
        assertThat(h.details()).anyMatch(d -> d.contains("stored as text only") && d.endsWith(": " + api.size()));
    }

    @Test
    void shouldUseTheDefaultForEachBadConfigurationValueAndTheConfiguredDirectory() {
        Path where = dir.resolve("elsewhere");
        DeadLetterStore.Options o = DeadLetterLogComponent.options(null, new Config(where.toString(), 0, 10, "sometimes", 0, -1, -5));
        DeadLetterStore.Options d = DeadLetterStore.Options.defaults(where);
        assertThat(o).isEqualTo(d);
        DeadLetterStore.Options good = DeadLetterLogComponent.options(null, new Config(where.toString(), 50, 1 << 20, "every-append", 20, 5, 100));
        assertThat(good).isEqualTo(new DeadLetterStore.Options(where, 50, 1 << 20, DeadLetterStore.Fsync.EVERY_APPEND, 20 * MS, 5, 100));
    }

    /** A configuration as SCR would make it from properties. */
    private record Config(String dir, long max_entries, long max_bytes, String fsync, long fsync_interval_ms, int live_entries,
            int max_payload_bytes) implements DeadLetterConfig {
        @Override
        public Class<? extends Annotation> annotationType() {
            return DeadLetterConfig.class;
        }
    }
}

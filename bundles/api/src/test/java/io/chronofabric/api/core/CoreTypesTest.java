package io.chronofabric.api.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoreTypesTest {

    @Test
    void logicalTimeShouldOrderByPhysicalThenLogicalThenNode() {
        List<LogicalTime> times = new ArrayList<>(List.of(
                new LogicalTime(5, 0, 2), new LogicalTime(4, 9, 1), new LogicalTime(5, 0, 1), new LogicalTime(5, 1, 0)));
        Collections.sort(times);
        assertThat(times).containsExactly(new LogicalTime(4, 9, 1), new LogicalTime(5, 0, 1), new LogicalTime(5, 0, 2),
                new LogicalTime(5, 1, 0));
        assertThat(new LogicalTime(5, 0, 1).compareClock(new LogicalTime(5, 0, 2))).isZero();
    }

    @Test
    void logicalTimeShouldParseWhatItPrints() {
        LogicalTime t = new LogicalTime(1795853906165116354L, 3, 2);
        assertThat(LogicalTime.parse(t.toString())).isEqualTo(t);
        assertThatThrownBy(() -> LogicalTime.parse("12@3")).hasMessageContaining("'12@3'");
        assertThatThrownBy(() -> LogicalTime.parse("1.2@70000")).hasMessageContaining("70000");
        assertThatThrownBy(() -> new LogicalTime(1, LogicalTime.MAX_LOGICAL + 1, 0)).hasMessageContaining("logical counter");
    }

    @Test
    void messageIdShouldPackNodeAndSequence() {
        MessageId id = MessageId.of(513, 123_456_789L);
        assertThat(id.nodeId()).isEqualTo(513);
        assertThat(id.sequence()).isEqualTo(123_456_789L);
        assertThat(MessageId.of(1, 5)).isGreaterThan(MessageId.of(1, 4));
        assertThat(id.toString()).isEqualTo("513:123456789");
        assertThatThrownBy(() -> MessageId.of(1, MessageId.MAX_SEQUENCE + 1)).hasMessageContaining("sequence");
        assertThatThrownBy(() -> MessageId.of(65_536, 1)).hasMessageContaining("65536");
    }

    @Test
    void componentIdShouldMapToOneMaskBit() {
        assertThat(ComponentId.of(0).mask()).isEqualTo(1L);
        assertThat(ComponentId.of(63).mask()).isEqualTo(Long.MIN_VALUE);
        long mask = ComponentId.maskOf(ComponentId.DRPP, ComponentId.of(40));
        assertThat(ComponentId.DRPP.isSelectedBy(mask)).isTrue();
        assertThat(ComponentId.ADP.isSelectedBy(mask)).isFalse();
        assertThatThrownBy(() -> ComponentId.of(64)).hasMessageContaining("Component id 64");
    }

    @Test
    void nanoTimeShouldConvertAndRefuseOverflow() {
        Instant i = Instant.parse("2026-11-28T08:00:00.123456789Z");
        NanoTime t = NanoTime.of(i);
        assertThat(t.toInstant()).isEqualTo(i);
        assertThat(t.plusNanos(1).isAfter(t)).isTrue();
        assertThatThrownBy(() -> new NanoTime(Long.MAX_VALUE).plusNanos(1)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> new NanoTime(-1)).hasMessageContaining("-1");
    }

    @Test
    void parsersShouldNameTheBadText() {
        assertThat(Priority.parse("High")).isEqualTo(Priority.HIGH);
        assertThatThrownBy(() -> Priority.parse("urgent")).hasMessageContaining("'urgent'");
        assertThat(TaskId.parse("task-7")).isEqualTo(TaskId.of(7));
        assertThat(TaskId.parse("7")).isEqualTo(TaskId.of(7));
        assertThatThrownBy(() -> TaskId.parse("seven")).hasMessageContaining("'seven'");
    }

    @Test
    void errorsShouldNameWhatWasWrong() {
        assertThat(new SubscriptionNotFoundException(42).getMessage()).isEqualTo("Subscription not found: 42");
        assertThat(new ResourceExhaustedException("queue", "sub-3 is full at 1024").getMessage())
                .isEqualTo("Resource exhausted: queue - sub-3 is full at 1024");
        assertThat(new DeliveryFailedException(MessageId.pack(1, 9), "retries exhausted").getMessage())
                .isEqualTo("Delivery of message 1:9 failed: retries exhausted");
        assertThat(new InitializationException("bus", "no HLC").getMessage()).isEqualTo("Initialization failed: bus - no HLC");
    }
}

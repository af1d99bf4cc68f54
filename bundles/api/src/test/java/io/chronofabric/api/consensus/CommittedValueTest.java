package io.chronofabric.api.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CommittedValueTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldBeEqualWhenIndexTermAndBytesAreEqual() {
        CommittedValue a = new CommittedValue(3, 1, bytes("hello"));
        CommittedValue b = new CommittedValue(3, 1, bytes("hello"));

        assertThat(a).isEqualTo(b);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        Set<CommittedValue> set = new HashSet<>();
        set.add(a);
        assertThat(set).contains(b);
    }

    @Test
    void shouldDifferWhenAnyComponentDiffers() {
        CommittedValue a = new CommittedValue(3, 1, bytes("hello"));

        assertThat(a).isNotEqualTo(new CommittedValue(3, 1, bytes("hellO")));
        assertThat(a).isNotEqualTo(new CommittedValue(3, 1, bytes("hell")));
        assertThat(a).isNotEqualTo(new CommittedValue(4, 1, bytes("hello")));
        assertThat(a).isNotEqualTo(new CommittedValue(3, 2, bytes("hello")));
        assertThat(a).isNotEqualTo(null);
        assertThat(a).isNotEqualTo("hello");
    }

    @Test
    void shouldCopyBytesInAndOut() {
        byte[] proposed = bytes("abc");
        CommittedValue v = new CommittedValue(0, 0, proposed);

        proposed[0] = 'X';
        assertThat(v.value()).isEqualTo(bytes("abc"));

        byte[] out = v.value();
        out[1] = 'Y';
        assertThat(v.value()).isEqualTo(bytes("abc"));
        assertThat(v.value()).isNotSameAs(v.value());
    }

    @Test
    void shouldShowBytesInToStringAndAbbreviateLongValues() {
        assertThat(new CommittedValue(3, 1, bytes("hello")))
                .hasToString("CommittedValue[index=3, term=1, value=5 bytes 0x68656c6c6f]");
        assertThat(new CommittedValue(0, 0, new byte[0]))
                .hasToString("CommittedValue[index=0, term=0, value=0 bytes]");
        assertThat(new CommittedValue(1, 0, new byte[] {(byte) 0xff}))
                .hasToString("CommittedValue[index=1, term=0, value=1 byte 0xff]");
        assertThat(new CommittedValue(2, 0, new byte[40]).toString())
                .isEqualTo("CommittedValue[index=2, term=0, value=40 bytes 0x" + "00".repeat(16) + "...]");
    }

    @Test
    void shouldRefuseNullBytesAndNegativePositions() {
        assertThatThrownBy(() -> new CommittedValue(0, 0, null))
                .isInstanceOf(NullPointerException.class).hasMessage("value");
        assertThatThrownBy(() -> new CommittedValue(-1, 0, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index").hasMessageContaining("-1");
        assertThatThrownBy(() -> new CommittedValue(0, -2, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("term").hasMessageContaining("-2");
    }

    /** Compiles only while {@link Consensus.LearnHandle#close()} declares no checked exception. */
    @Test
    void shouldCloseLearnHandleWithoutCheckedException() {
        AtomicInteger closed = new AtomicInteger();
        try (Consensus.LearnHandle handle = closed::incrementAndGet) {
            assertThat(closed).hasValue(0);
        }
        assertThat(closed).hasValue(1);
    }
}

package io.chronofabric.network.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UnicastIdsTest {

    private static long id(int origin, long seq) {
        return ((long) origin << 48) | seq;
    }

    @Test
    void shouldKeepAnIdUntilItsOriginsSequencePassesItByTheRing() {
        UnicastIds ids = new UnicastIds(NetworkNode.UNICAST_RING);
        long first = id(3, 5);
        ids.remember(first);
        // every later sequence of the same origin within the ring, and many ids of other origins
        for (long s = 6; s < 5 + NetworkNode.UNICAST_RING; s++) {
            ids.remember(id(3, s));
            ids.remember(id(7, s * 31));
        }
        for (long s = 0; s < 3 * NetworkNode.UNICAST_RING; s++) {
            ids.remember(id(9, s));
        }
        assertThat(ids.contains(first)).isTrue();
        assertThat(ids.contains(id(3, 5 + NetworkNode.UNICAST_RING - 1))).isTrue();
        ids.remember(id(3, 5 + NetworkNode.UNICAST_RING));
        assertThat(ids.contains(first)).isFalse();
        assertThat(ids.contains(id(3, 5 + NetworkNode.UNICAST_RING))).isTrue();
    }

    @Test
    void shouldNotContainIdsNeverRemembered() {
        UnicastIds ids = new UnicastIds(16);
        assertThat(ids.contains(id(1, 1))).isFalse();
        ids.remember(id(1, 1));
        assertThat(ids.contains(id(2, 1))).isFalse();
        assertThat(ids.contains(id(1, 17))).isFalse();
        assertThat(ids.contains(id(1, 1))).isTrue();
    }

    @Test
    void shouldRefuseARingThatIsNotAPowerOfTwo() {
        assertThatThrownBy(() -> new UnicastIds(12)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12");
    }
}

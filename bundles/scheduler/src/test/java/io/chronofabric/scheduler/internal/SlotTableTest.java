package io.chronofabric.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlotTableTest {

    @Test
    void shouldKeepEachElementInItsSlotUntilRemovedAndReuseFreedSlots() {
        SlotTable<String> t = new SlotTable<>(2); // starts small: exercises growth
        Map<Integer, String> reference = new HashMap<>();
        Random r = new Random(5);
        for (int op = 0; op < 100_000; op++) {
            if (reference.isEmpty() || r.nextInt(3) > 0) {
                String e = "e" + op;
                int slot = t.add(e);
                assertThat(reference).doesNotContainKey(slot);
                reference.put(slot, e);
            } else {
                int slot = reference.keySet().iterator().next();
                assertThat(t.remove(slot)).isEqualTo(reference.remove(slot));
                assertThat(t.remove(slot)).as("a free slot").isNull();
                assertThat(t.get(slot)).isNull();
            }
            assertThat(t.size()).isEqualTo(reference.size());
        }
        reference.forEach((slot, e) -> assertThat(t.get(slot)).isEqualTo(e));
        assertThat(t.values()).containsExactlyInAnyOrderElementsOf(reference.values());
        assertThat(t.slotsUsed()).as("freed slots are reused: the table grows to the peak, not the total").isLessThan(100_000 / 2);
    }

    @Test
    void shouldGiveTheMostRecentlyFreedSlotFirst() {
        SlotTable<String> t = new SlotTable<>(4);
        int a = t.add("a");
        int b = t.add("b");
        t.remove(a);
        t.remove(b);
        assertThat(t.add("c")).isEqualTo(b);
        assertThat(t.add("d")).isEqualTo(a);
        assertThat(t.values()).containsExactly("d", "c");
    }

    @Test
    void shouldRefuseNull() {
        assertThatThrownBy(() -> new SlotTable<String>(2).add(null)).isInstanceOf(NullPointerException.class);
    }
}

package io.chronofabric.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HandleMapTest {

    @Test
    void shouldAgreeWithAHashMapOverRandomPutsGetsAndRemoves() {
        HandleMap<String> map = new HandleMap<>();
        Map<Long, String> reference = new HashMap<>();
        Random r = new Random(17);
        for (int op = 0; op < 200_000; op++) {
            long key = r.nextInt(3_000) + (r.nextBoolean() ? 0 : (long) r.nextInt(4) << 40); // clusters and far keys
            switch (r.nextInt(3)) {
                case 0 -> {
                    map.put(key, "v" + op);
                    reference.put(key, "v" + op);
                }
                case 1 -> assertThat(map.remove(key)).isEqualTo(reference.remove(key));
                default -> assertThat(map.get(key)).isEqualTo(reference.get(key));
            }
            assertThat(map.size()).isEqualTo(reference.size());
        }
        assertThat(map.values()).containsExactlyInAnyOrderElementsOf(reference.values());
        for (Long k : reference.keySet()) {
            assertThat(map.get(k)).isEqualTo(reference.get(k));
        }
    }

    @Test
    void shouldFindEverySequentialIdAfterGrowingAndRemovingHalf() {
        HandleMap<Long> map = new HandleMap<>();
        for (long id = 1; id <= 10_000; id++) {
            map.put(id, id);
        }
        for (long id = 2; id <= 10_000; id += 2) {
            assertThat(map.remove(id)).isEqualTo(id);
        }
        assertThat(map.size()).isEqualTo(5_000);
        for (long id = 1; id <= 10_000; id++) {
            assertThat(map.get(id)).isEqualTo(id % 2 == 1 ? id : null);
        }
        assertThat(map.remove(2)).isNull();
    }
}

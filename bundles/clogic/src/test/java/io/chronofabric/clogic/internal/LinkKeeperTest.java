package io.chronofabric.clogic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.EventBusRx;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.bus.Subscription;
import io.chronofabric.api.bus.SubscriptionId;
import io.chronofabric.api.bus.SubscriptionInfo;
import io.chronofabric.api.clogic.ClogicChannels;
import io.chronofabric.api.clogic.LinkStatus;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkKeeperTest {

    /** Links as the real bus makes them: a known source channel, no self loop, no cycle. */
    static final class LinkingBus implements EventBusRx {
        final Set<String> known = new HashSet<>();
        final Map<String, Set<String>> links = new TreeMap<>();

        @Override
        public void linkChannels(String from, String to) {
            if (!known.contains(from) && !links.containsKey(from)
                    && links.values().stream().noneMatch(s -> s.contains(from))) {
                throw new IllegalArgumentException("Unknown channel '" + from + "'");
            }
            if (reaches(to, from)) {
                throw new IllegalArgumentException("Channel link " + from + " -> " + to + " would close a loop");
            }
            links.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
        }

        private boolean reaches(String a, String b) {
            if (a.equals(b)) {
                return true;
            }
            for (String n : links.getOrDefault(a, Set.of())) {
                if (reaches(n, b)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean unlinkChannels(String from, String to) {
            Set<String> s = links.get(from);
            boolean removed = s != null && s.remove(to);
            if (s != null && s.isEmpty()) {
                links.remove(from);
            }
            return removed;
        }

        @Override
        public Map<String, Set<String>> channelLinks() {
            Map<String, Set<String>> copy = new TreeMap<>();
            links.forEach((k, v) -> copy.put(k, Set.copyOf(v)));
            return copy;
        }

        @Override
        public <T> Receiver<T> subscribe(Subscription<T> subscription) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void unsubscribe(SubscriptionId id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<SubscriptionInfo> activeSubscriptions() {
            return List.of();
        }

        @Override
        public int subscriptionCount() {
            return 0;
        }

        @Override
        public Map<String, Integer> subscriptionCounts() {
            return Map.of();
        }

        @Override
        public Set<String> channels() {
            return Set.copyOf(known);
        }
    }

    private static List<LinkSpec> seed() {
        return LinkSpec.parseAll(new String[] {ClogicConfig.SEED_LINKS});
    }

    @Test
    void shouldMakeTheSeedsCrossTalkLinks() {
        LinkingBus bus = new LinkingBus();
        bus.known.addAll(List.of("drpp.patterns", "adp.metrics", "ems.modulation", "egc.decisions"));
        LinkKeeper keeper = new LinkKeeper(Set.of());
        keeper.configure(seed());

        assertThat(keeper.reconcile(bus, ch -> 0)).isTrue();

        Map<String, Set<String>> expected = new TreeMap<>();
        ClogicChannels.SEED_LINKS.forEach((from, tos) -> expected.put(from, Set.copyOf(tos)));
        assertThat(bus.channelLinks()).isEqualTo(expected);
        assertThat(keeper.status()).hasSize(8).allMatch(LinkStatus::active);
        assertThat(keeper.status()).extracting(LinkStatus::toString).startsWith("drpp.patterns->adp.input", "adp.metrics->egc.input");
        assertThat(keeper.reconcile(bus, ch -> 0)).as("a second pass changes nothing").isFalse();
    }

    @Test
    void shouldRetryALinkWhoseSourceTheBusDoesNotKnowYet() {
        LinkingBus bus = new LinkingBus();
        LinkKeeper keeper = new LinkKeeper(Set.of());
        keeper.configure(List.of(LinkSpec.parse("drpp.patterns->adp.input")));

        keeper.reconcile(bus, ch -> -1);
        assertThat(keeper.status().get(0).active()).isFalse();
        assertThat(keeper.status().get(0).problem()).contains("Unknown channel 'drpp.patterns'");

        bus.known.add("drpp.patterns");
        keeper.reconcile(bus, ch -> 5);
        assertThat(keeper.status().get(0)).isEqualTo(new LinkStatus("drpp.patterns", "adp.input", true, 5, ""));
    }

    @Test
    void shouldRemoveOnlyTheLinksItMadeWhenTheyAreUnconfigured() {
        LinkingBus bus = new LinkingBus();
        bus.known.addAll(List.of("a", "x"));
        bus.linkChannels("x", "y"); // made by someone else
        LinkKeeper keeper = new LinkKeeper(Set.of());
        keeper.configure(LinkSpec.parseAll(new String[] {"a->b, a->c"}));
        keeper.reconcile(bus, ch -> 0);
        assertThat(bus.channelLinks()).containsEntry("a", Set.of("b", "c"));

        keeper.configure(LinkSpec.parseAll(new String[] {"a->c"}));
        assertThat(keeper.reconcile(bus, ch -> 0)).isTrue();

        assertThat(bus.channelLinks()).containsEntry("a", Set.of("c")).containsEntry("x", Set.of("y"));
        assertThat(keeper.owned()).containsExactly(LinkSpec.parse("a->c"));
    }

    @Test
    void shouldReportALoopAndNoBusAsProblems() {
        LinkingBus bus = new LinkingBus();
        bus.known.addAll(List.of("a", "b"));
        LinkKeeper keeper = new LinkKeeper(Set.of());
        keeper.configure(LinkSpec.parseAll(new String[] {"a->b", "b->a"}));
        keeper.reconcile(bus, ch -> 0);
        assertThat(keeper.status()).extracting(LinkStatus::active).containsExactly(true, false);
        assertThat(keeper.status().get(1).problem()).contains("would close a loop");

        keeper.reconcile(null, ch -> 0);
        assertThat(keeper.status()).allMatch(s -> !s.active() && s.problem().equals("no EventBus service"));
    }

    @Test
    void shouldRefuseBadLinkEntriesNamingThem() {
        assertThatThrownBy(() -> LinkSpec.parseAll(new String[] {"a->b, c-d"})).hasMessageContaining("Link 'c-d' is not of the form from->to");
        assertThatThrownBy(() -> LinkSpec.parse("a->a")).hasMessageContaining("loops onto itself");
        assertThatThrownBy(() -> LinkSpec.parse("a b->c")).hasMessageContaining("Link 'a b->c'").hasMessageContaining("whitespace");
        assertThat(LinkSpec.parseAll(new String[] {"", " a->b ,a->b"})).containsExactly(new LinkSpec("a", "b"));
    }

    @Test
    void shouldKeepTheLinksItMadeAcrossRestarts(@TempDir Path dir) {
        Path file = dir.resolve("sub").resolve(CoordinatorComponent.OWNED_FILE);
        CoordinatorComponent.saveOwned(file, Set.of(LinkSpec.parse("a->b")));
        assertThat(CoordinatorComponent.loadOwned(file)).containsExactly(LinkSpec.parse("a->b"));
        assertThat(CoordinatorComponent.loadOwned(dir.resolve("none"))).isEmpty();

        LinkingBus bus = new LinkingBus();
        bus.known.add("a");
        bus.linkChannels("a", "b");
        LinkKeeper keeper = new LinkKeeper(CoordinatorComponent.loadOwned(file));
        keeper.configure(List.of());
        keeper.reconcile(bus, ch -> 0);
        assertThat(bus.channelLinks()).isEmpty();
    }
}

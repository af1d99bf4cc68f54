package io.chronofabric.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.bus.Subscription;
import io.chronofabric.api.bus.SubscriptionId;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.Priority;
import io.chronofabric.api.core.SubscriptionNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RoutingTest extends BusTestSupport {

    private final PhaseCoherenceBus bus = systemBus(Settings.DEFAULTS);

    @Test
    void shouldDeliverByPayloadTypeIncludingSubtypes() {
        Receiver<Number> numbers = bus.subscribe(Number.class);
        Receiver<String> strings = bus.subscribe(String.class);
        bus.publish(PhasePacket.of(42, ComponentId.SYSTEM));
        bus.publish(PhasePacket.of(2.5d, ComponentId.SYSTEM));
        bus.publish(PhasePacket.of("text", ComponentId.SYSTEM));
        assertThat(List.of(numbers.poll().payload(), numbers.poll().payload())).containsExactly(42, 2.5d);
        assertThat(numbers.poll()).isNull();
        assertThat(strings.poll().payload()).isEqualTo("text");
        assertThat(strings.poll()).isNull();
        assertThat(bus.subscriberCount(Integer.class)).isEqualTo(1);
        assertThat(bus.subscriptionCounts()).containsEntry("java.lang.Number", 1).containsEntry("java.lang.String", 1);
    }

    @Test
    void shouldShareOnePacketInstanceBetweenSubscribers() {
        Receiver<String> a = bus.subscribe(String.class);
        Receiver<String> b = bus.subscribe(String.class);
        PhasePacket<String> p = PhasePacket.of("shared", ComponentId.SYSTEM);
        long id = bus.publish(p);
        assertThat(a.poll()).isSameAs(p).isSameAs(b.poll());
        assertThat(p.messageIdValue()).isEqualTo(id);
        assertThat(p.timestamp()).isNotNull();
    }

    @Test
    void shouldRouteChannelsSeparatelyFromTypes() {
        Receiver<Object> channel = bus.subscribeChannel("drpp.patterns");
        Receiver<String> typed = bus.subscribe(String.class);
        bus.publish(PhasePacket.builder("on channel").channel("drpp.patterns").build());
        bus.publish(PhasePacket.builder("elsewhere").channel("adp.metrics").build());
        assertThat(channel.poll().payload()).isEqualTo("on channel");
        assertThat(channel.poll()).isNull();
        assertThat(typed.poll()).isNull();
        assertThat(bus.channels()).contains("drpp.patterns", "adp.metrics");
        assertThat(bus.subscriberCount("drpp.patterns")).isEqualTo(1);
    }

    @Test
    void shouldForwardLinkedChannelsAndRefuseLoops() {
        Receiver<Object> b = bus.subscribeChannel("b");
        Receiver<Object> c = bus.subscribeChannel("c");
        bus.subscribeChannel("a").close();
        bus.linkChannels("a", "b");
        bus.linkChannels("b", "c");
        bus.publish(PhasePacket.builder("x").channel("a").build());
        assertThat(b.poll().payload()).isEqualTo("x");
        assertThat(c.poll().payload()).isEqualTo("x");
        assertThatThrownBy(() -> bus.linkChannels("c", "a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a -> b -> c -> a");
        assertThatThrownBy(() -> bus.linkChannels("nowhere", "b")).hasMessageContaining("Unknown channel 'nowhere'");
        assertThatThrownBy(() -> bus.linkChannels("a", "bad name")).hasMessageContaining("'bad name'");
        assertThat(bus.channelLinks()).containsKey("a");
        assertThat(bus.unlinkChannels("a", "b")).isTrue();
        bus.publish(PhasePacket.builder("y").channel("a").build());
        assertThat(b.poll()).isNull();
    }

    @Test
    void shouldSelectExactlyTheTargetedComponents() {
        List<Receiver<String>> byComponent = new ArrayList<>();
        for (int id = 0; id < 64; id += 9) {
            byComponent.add(bus.subscribe(Subscription.to(String.class).as(ComponentId.of(id))));
        }
        Receiver<String> undeclared = bus.subscribe(String.class);
        long mask = ComponentId.maskOf(ComponentId.of(9), ComponentId.of(45), ComponentId.of(63));
        bus.publish(PhasePacket.builder("targeted").targets(mask).build());
        for (int i = 0; i < byComponent.size(); i++) {
            int id = i * 9;
            boolean selected = id == 9 || id == 45 || id == 63;
            PhasePacket<String> got = byComponent.get(i).poll();
            assertThat(got != null).as("component %d received", id).isEqualTo(selected);
        }
        assertThat(undeclared.poll()).as("no component id: only all-target packets").isNull();
        bus.publish(PhasePacket.of("broadcast", ComponentId.SYSTEM));
        assertThat(undeclared.poll()).isNotNull();
        assertThat(byComponent).allSatisfy(r -> assertThat(r.poll()).isNotNull());
    }

    @Test
    void shouldFilterAndSurviveAFilterThatThrows() {
        Receiver<Object> dead = bus.subscribeChannel(Channels.DEAD_LETTER);
        Receiver<Integer> even = bus.subscribeFiltered(Integer.class, p -> p.payload() % 2 == 0);
        Receiver<Integer> broken = bus.subscribeFiltered(Integer.class, p -> {
            throw new IllegalStateException("filter bug");
        });
        Receiver<Integer> all = bus.subscribe(Integer.class);
        for (int i = 0; i < 4; i++) {
            bus.publish(PhasePacket.of(i, ComponentId.SYSTEM));
        }
        assertThat(drain(even)).containsExactly(0, 2);
        assertThat(drain(all)).containsExactly(0, 1, 2, 3);
        assertThat(broken.poll()).isNull();
        assertThat(bus.stats().failed()).isEqualTo(4);
        assertThat(drain(dead)).hasSize(4);
    }

    @Test
    void shouldDeliverHigherPriorityFirstAndKeepFifoWithinAPriority() {
        Receiver<String> r = bus.subscribe(String.class);
        bus.publish(PhasePacket.builder("low-1").priority(Priority.LOW).build());
        bus.publish(PhasePacket.builder("normal-1").build());
        bus.publish(PhasePacket.builder("critical").priority(Priority.CRITICAL).build());
        bus.publish(PhasePacket.builder("normal-2").build());
        bus.publish(PhasePacket.builder("high").priority(Priority.HIGH).build());
        assertThat(drain(r)).containsExactly("critical", "high", "normal-1", "normal-2", "low-1");
    }

    @Test
    void shouldUnsubscribeAndCloseReceivers() throws InterruptedException {
        Receiver<String> r = bus.subscribe(String.class);
        SubscriptionId id = r.id();
        assertThat(bus.activeSubscriptions()).extracting(i -> i.id()).contains(id);
        bus.unsubscribe(id);
        assertThat(r.isClosed()).isTrue();
        assertThat(r.take(10, TimeUnit.MILLISECONDS)).isNull();
        assertThatThrownBy(() -> bus.unsubscribe(id)).isInstanceOf(SubscriptionNotFoundException.class)
                .hasMessageContaining(String.valueOf(id.value()));
        Receiver<String> r2 = bus.subscribe(String.class);
        r2.close();
        r2.close();
        assertThat(bus.subscriptionCount()).isZero();
    }

    @Test
    void shouldWaitInTakeUntilAPacketArrives() throws Exception {
        Receiver<String> r = bus.subscribe(String.class);
        Thread publisher = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            bus.publish(PhasePacket.of("late", ComponentId.SYSTEM));
        });
        publisher.start();
        PhasePacket<String> p = r.take(5, TimeUnit.SECONDS);
        assertThat(p).isNotNull();
        assertThat(p.payload()).isEqualTo("late");
        publisher.join();
    }

    static <T> List<T> drain(Receiver<T> r) {
        List<T> out = new ArrayList<>();
        r.drain(p -> out.add(p.payload()), Integer.MAX_VALUE);
        return out;
    }
}

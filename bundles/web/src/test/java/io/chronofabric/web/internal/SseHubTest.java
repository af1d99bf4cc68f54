package io.chronofabric.web.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SseHubTest {

    static final class Recorder implements SseHub.Client {
        final List<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch first = new CountDownLatch(1);
        volatile boolean fail;
        volatile boolean closed;

        @Override
        public void send(String event) throws IOException {
            if (fail) {
                throw new IOException("broken pipe");
            }
            events.add(event);
            first.countDown();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void shouldTickOnlyWhileSomebodyWatches() throws Exception {
        AtomicInteger snapshots = new AtomicInteger();
        SseHub hub = new SseHub(() -> "{\"n\":" + snapshots.incrementAndGet() + "}", 60_000, 4);
        assertThat(hub.ticking()).isFalse();
        hub.tick();
        assertThat(snapshots).hasValue(0);

        Recorder c = new Recorder();
        assertThat(hub.add(c)).isTrue();
        assertThat(hub.ticking()).isTrue();
        assertThat(c.first.await(10, TimeUnit.SECONDS)).as("first event sent at once").isTrue();
        assertThat(c.events.get(0)).isEqualTo("event: snapshot\ndata: {\"n\":1}\n\n");

        hub.remove(c);
        assertThat(hub.ticking()).isFalse();
        assertThat(hub.clientCount()).isZero();
        int before = snapshots.get();
        hub.tick();
        assertThat(snapshots).hasValue(before);
    }

    @Test
    void shouldDropAndCloseAClientWhoseWriteFails() throws Exception {
        SseHub hub = new SseHub(() -> "{}", 60_000, 4);
        Recorder good = new Recorder();
        Recorder gone = new Recorder();
        hub.add(good);
        hub.add(gone);
        assertThat(good.first.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(gone.first.await(10, TimeUnit.SECONDS)).isTrue();
        gone.fail = true;
        hub.tick();
        assertThat(gone.closed).isTrue();
        assertThat(hub.clientCount()).isEqualTo(1);
        assertThat(good.events).hasSizeGreaterThanOrEqualTo(2);
        hub.remove(good);
        assertThat(hub.ticking()).isFalse();
    }

    @Test
    void shouldRefuseClientsPastTheLimitAndAfterClose() {
        SseHub hub = new SseHub(() -> "{}", 60_000, 1);
        Recorder a = new Recorder();
        assertThat(hub.add(a)).isTrue();
        assertThat(hub.hasRoom()).isFalse();
        assertThat(hub.add(new Recorder())).isFalse();
        hub.close();
        assertThat(a.closed).isTrue();
        assertThat(hub.ticking()).isFalse();
        assertThat(hub.add(new Recorder())).isFalse();
    }

    @Test
    void shouldNameABadInterval() {
        assertThatThrownBy(() -> new SseHub(() -> "{}", 10, 1)).hasMessageContaining("sse.interval.ms");
    }
}

package io.chronofabric.clogic.drpp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.clogic.Sample;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.HealthStatus;
import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

class DrppComponentTest {

    /** A BundleContext that records whiteboard registrations and has a data area. */
    static final class FakeContext {
        final List<Dictionary<String, ?>> registered = new ArrayList<>();
        final List<PacketHandler<Object>> handlers = new ArrayList<>();
        int unregistered;
        final BundleContext context;

        @SuppressWarnings("unchecked")
        FakeContext(Path dir) {
            context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getDataFile" -> new File(dir.toFile(), (String) args[0]);
                        case "registerService" -> {
                            registered.add((Dictionary<String, ?>) args[2]);
                            handlers.add((PacketHandler<Object>) args[1]);
                            yield Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                                    (p, m, a) -> {
                                        if (m.getName().equals("unregister")) {
                                            unregistered++;
                                        }
                                        return null;
                                    });
                        }
                        case "getBundle" -> null;
                        case "toString" -> "fake context";
                        default -> null;
                    });
        }

        PacketHandler<Object> handler(String channel) {
            for (int i = 0; i < registered.size(); i++) {
                if (channel.equals(registered.get(i).get(PacketHandler.CHANNEL))) {
                    return handlers.get(i);
                }
            }
            throw new AssertionError("no handler on " + channel + " in " + registered);
        }
    }

    @Test
    void shouldStayRegisteredAndSayWhyWhenTheConfigurationIsBadThenRecoverOnAGoodOne(@TempDir Path dir) {
        FakeContext ctx = new FakeContext(dir);
        DrppComponent drpp = new DrppComponent();
        drpp.activate(ctx.context, TestConfigs.config(Map.of("inputs", new String[] {"drpp.input"}, "fft_window", 100000)));
        assertThat(drpp.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(drpp.health().details()).anySatisfy(d -> assertThat(d).contains("fft.window").contains("100000"));
        assertThat(drpp.state().activity()).startsWith("idle: Refused configuration io.chronofabric.clogic.drpp");
        assertThat(ctx.registered).isEmpty();

        drpp.modified(TestConfigs.config(Map.of("inputs", new String[] {"drpp.input"})));
        assertThat(drpp.inputChannels()).containsExactly("drpp.input", "drpp.modulation", "drpp.governance");
        assertThat(ctx.registered).hasSize(3);
        // a bad change keeps the running configuration
        drpp.modified(TestConfigs.config(Map.of("inputs", new String[] {"drpp.input"}, "te_k", 99)));
        assertThat(drpp.health().details()).anySatisfy(d -> assertThat(d).contains("te.k"));
        assertThat(drpp.engine()).isNotNull();
        assertThat(drpp.state().activity()).startsWith("idle: waiting for samples on drpp.input");
        drpp.deactivate();
    }

    @Test
    void shouldCountBadPayloadsAndKeepItsStateAcrossARestart(@TempDir Path dir) throws Exception {
        FakeContext ctx = new FakeContext(dir);
        DrppComponent drpp = new DrppComponent();
        drpp.activate(ctx.context, TestConfigs.config(Map.of("inputs", new String[] {"drpp.input"}, "te_pairs", new String[] {"a->b"})));
        PacketHandler<Object> input = ctx.handler("drpp.input");
        RoutingMetadata routing = RoutingMetadata.defaults(ComponentId.SYSTEM);
        input.onPacket(PhasePacket.of("text", "drpp.input", routing));
        input.onPacket(PhasePacket.of(Double.NaN, "drpp.input", routing));
        for (int t = 0; t < 500; t++) {
            input.onPacket(PhasePacket.of(new Sample("a", t % 3, 0), "drpp.input", routing));
            input.onPacket(PhasePacket.of(new Sample("b", (t + 1) % 3, 0), "drpp.input", routing));
        }
        assertThat(drpp.state().processed()).isEqualTo(1000);
        assertThat(drpp.state().skipped()).isEqualTo(2);
        assertThat(drpp.nonNumeric()).isEqualTo(2);
        drpp.deactivate();
        assertThat(ctx.unregistered).isEqualTo(3);

        DrppComponent again = new DrppComponent();
        again.activate(new FakeContext(dir).context, TestConfigs.config(Map.of("inputs", new String[] {"drpp.input"},
                "te_pairs", new String[] {"a->b"})));
        assertThat(again.state().processed()).isEqualTo(1000);
        assertThat(again.state().skipped()).isEqualTo(2);
        assertThat(again.engine().stream("a").samples).isEqualTo(500);
        assertThat(again.engine().pairs().get(0).discrete.observations()).isGreaterThan(400);
        again.deactivate();
    }
}

package io.chronofabric.clogic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.EventBusRx;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.clogic.CognitiveModule;
import io.chronofabric.api.clogic.LinkStatus;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.HealthStatus;
import io.chronofabric.api.core.LogicalTime;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

class CoordinatorComponentTest {

    @TempDir
    Path dir;

    final LinkKeeperTest.LinkingBus links = new LinkKeeperTest.LinkingBus();
    final Map<String, PacketHandler<Object>> handlers = new ConcurrentHashMap<>();

    /** The coordinator's whiteboard handlers "subscribe" by making their channel known, as a real bus does. */
    @SuppressWarnings("unchecked")
    BundleContext context() {
        Bundle bundle = (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Bundle.class}, (p, m, a) -> null);
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class}, (p, m, a) -> {
            switch (m.getName()) {
                case "getBundle":
                    return bundle;
                case "getProperty":
                    return null;
                case "getDataFile":
                    return new File(dir.toFile(), (String) a[0]);
                case "registerService":
                    String channel = (String) ((Dictionary<String, Object>) a[2]).get(PacketHandler.CHANNEL);
                    handlers.put(channel, (PacketHandler<Object>) a[1]);
                    links.known.add(channel);
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (p2, m2, a2) -> {
                        if (m2.getName().equals("unregister")) {
                            handlers.remove(channel);
                            links.known.remove(channel);
                        }
                        return null;
                    });
                default:
                    throw new UnsupportedOperationException(m.getName());
            }
        });
    }

    EventBus bus() {
        return (EventBus) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {EventBus.class}, (p, m, a) -> {
            try {
                Method rx = EventBusRx.class.getMethod(m.getName(), m.getParameterTypes());
                return rx.invoke(links, a);
            } catch (NoSuchMethodException e) {
                throw new UnsupportedOperationException(m.getName());
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    static ClogicConfig config(Path state, String... links) {
        return (ClogicConfig) Proxy.newProxyInstance(ClogicConfig.class.getClassLoader(), new Class<?>[] {ClogicConfig.class}, (p, m, a) -> {
            switch (m.getName()) {
                case "links":
                    return links.length == 0 ? m.getDefaultValue() : links;
                case "state_dir":
                    return state.toString();
                case "check_interval_ms":
                    return 600_000L; // the test checks by hand
                default:
                    return m.getDefaultValue();
            }
        });
    }

    @Test
    void shouldSetUpTheSeedLinksCountTheirTrafficAndFollowItsConfiguration() throws Exception {
        CoordinatorComponent c = new CoordinatorComponent();
        EventBus bus = bus();
        c.bindBus(bus);
        c.activate(context(), config(dir));
        c.checkLinks();

        assertThat(handlers).containsOnlyKeys("drpp.patterns", "adp.metrics", "ems.modulation", "egc.decisions");
        assertThat(c.links()).hasSize(8).allMatch(LinkStatus::active);
        assertThat(links.channelLinks().get("ems.modulation")).containsExactlyInAnyOrder("drpp.modulation", "adp.modulation", "egc.modulation");
        assertThat(c.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(c.health().summary()).isEqualTo("8/8 links active, 0 modules");

        PhasePacket<Object> p = PhasePacket.builder((Object) "m").channel("ems.modulation").build();
        p.stamp(this, 1, new LogicalTime(1, 0, 0), 1, 0);
        handlers.get("ems.modulation").onPacket(p);
        c.checkLinks();
        assertThat(c.links()).filteredOn(l -> l.from().equals("ems.modulation")).extracting(LinkStatus::forwarded).containsOnly(1L);

        c.modified(config(dir, "ems.modulation->drpp.modulation"));
        c.checkLinks();
        assertThat(links.channelLinks()).isEqualTo(Map.of("ems.modulation", Set.of("drpp.modulation")));
        assertThat(handlers).containsOnlyKeys("ems.modulation");
        assertThat(Files.readString(dir.resolve(CoordinatorComponent.OWNED_FILE))).contains("ems.modulation->drpp.modulation")
                .doesNotContain("drpp.patterns->adp.input");

        c.unbindBus(bus);
        c.checkLinks();
        HealthReport h = c.health();
        assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(h.summary()).startsWith("no EventBus service");
        assertThat(h.details()).containsExactly("link ems.modulation->drpp.modulation: no EventBus service");
        c.deactivate();
        assertThat(handlers).isEmpty();
    }

    @Test
    void shouldListTheModulesByName() {
        CoordinatorComponent c = new CoordinatorComponent();
        c.addModule(module("ems"));
        c.addModule(module("drpp"));
        assertThat(c.modules()).extracting(CognitiveModule::name).containsExactly("drpp", "ems");
        c.removeModule(c.modules().get(0));
        assertThat(c.modules()).extracting(CognitiveModule::name).containsExactly("ems");
    }

    private static CognitiveModule module(String name) {
        return new CognitiveModule() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String algorithm() {
                return "test";
            }

            @Override
            public ComponentId componentId() {
                return ComponentId.of(9);
            }

            @Override
            public Set<String> inputChannels() {
                return Set.of();
            }

            @Override
            public Set<String> outputChannels() {
                return Set.of();
            }

            @Override
            public Map<String, Double> metrics() {
                return Map.of();
            }

            @Override
            public HealthReport health() {
                return HealthReport.up("fine");
            }
        };
    }
}

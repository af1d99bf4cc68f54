package io.chronofabric.patterns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.patterns.Responder;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

class ResponderWhiteboardTest {

    /** A handler registration the fake context made: its channel and whether it is still registered. */
    static final class Registration {
        final String channel;
        boolean registered = true;

        Registration(String channel) {
            this.channel = channel;
        }
    }

    private final List<Registration> registrations = new ArrayList<>();
    private final Map<String, Object> properties = new HashMap<>(Map.of("service.id", 7L));

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class}, (p, m, args) -> {
            if (m.getName().equals("registerService") && args[0] == PacketHandler.class) {
                Registration r = new Registration((String) ((Dictionary<?, ?>) args[2]).get(PacketHandler.CHANNEL));
                registrations.add(r);
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (p2, m2, a2) -> {
                    if (m2.getName().equals("unregister")) {
                        r.registered = false;
                    }
                    return null;
                });
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    @SuppressWarnings("unchecked")
    private ServiceReference<Responder<?, ?>> reference() {
        return (ServiceReference<Responder<?, ?>>) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceReference.class},
                (p, m, args) -> switch (m.getName()) {
                    case "getProperty" -> properties.get((String) args[0]);
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private List<String> live() {
        return registrations.stream().filter(r -> r.registered).map(r -> r.channel).toList();
    }

    @Test
    void shouldKeepTheSubscriptionWhenOtherPropertiesOfTheResponderChange() {
        ResponderWhiteboard whiteboard = new ResponderWhiteboard();
        whiteboard.activate(context());
        properties.put(Responder.CHANNEL, "quotes");
        ServiceReference<Responder<?, ?>> ref = reference();
        Responder<Object, Object> responder = r -> "answer";
        whiteboard.bindResponder(ref, responder);

        properties.put("prices", "widget=3.00"); // the responder's component got its configuration
        whiteboard.updatedResponder(ref, responder);

        assertThat(registrations).hasSize(1);
        assertThat(live()).containsExactly("quotes");
    }

    @Test
    void shouldMoveTheSubscriptionNewBeforeOldWhenTheChannelChanges() {
        ResponderWhiteboard whiteboard = new ResponderWhiteboard();
        whiteboard.activate(context());
        properties.put(Responder.CHANNEL, "quotes");
        ServiceReference<Responder<?, ?>> ref = reference();
        Responder<Object, Object> responder = r -> "answer";
        whiteboard.bindResponder(ref, responder);

        properties.put(Responder.CHANNEL, "prices");
        whiteboard.updatedResponder(ref, responder);

        assertThat(registrations).extracting(r -> r.channel).containsExactly("quotes", "prices");
        assertThat(live()).containsExactly("prices");
    }

    @Test
    void shouldDropTheSubscriptionWhenTheChannelBecomesInvalid() {
        ResponderWhiteboard whiteboard = new ResponderWhiteboard();
        whiteboard.activate(context());
        properties.put(Responder.CHANNEL, "quotes");
        ServiceReference<Responder<?, ?>> ref = reference();
        Responder<Object, Object> responder = r -> "answer";
        whiteboard.bindResponder(ref, responder);

        properties.put(Responder.CHANNEL, "not a channel");
        whiteboard.updatedResponder(ref, responder);

        assertThat(live()).isEmpty();
    }
}

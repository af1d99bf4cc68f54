package io.chronofabric.patterns.internal;

import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.patterns.Responder;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Responder} whiteboard: for each Responder service with a valid
 * {@value Responder#CHANNEL} property, registers a whiteboard {@link PacketHandler} on that channel
 * (so every bus subscribes it, again after a restart) that answers through {@link ResponderHandler}.
 * A responder without a channel, with an invalid one, or whose {@value Responder#TYPE} class its
 * bundle cannot load is logged (naming the service and the problem) and not subscribed.
 */
@Component(name = "io.chronofabric.patterns.responders", immediate = true, service = {})
public final class ResponderWhiteboard {

    private static final Logger LOG = LoggerFactory.getLogger(ResponderWhiteboard.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventBus bus;

    private final Map<ServiceReference<?>, ServiceRegistration<?>> handlers = new ConcurrentHashMap<>();
    /** The channel and type each subscribed responder had when its handler was registered. */
    private final Map<ServiceReference<?>, String> subscribedAs = new ConcurrentHashMap<>();
    private volatile BundleContext context;

    @Activate
    void activate(BundleContext bc) {
        this.context = bc;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, service = Responder.class)
    void bindResponder(ServiceReference<Responder<?, ?>> ref, Responder<?, ?> responder) {
        subscribe(ref, responder);
    }

    /** Registers the responder's handler (replacing an earlier one of it); false if it cannot be subscribed. */
    private boolean subscribe(ServiceReference<Responder<?, ?>> ref, Responder<?, ?> responder) {
        BundleContext bc = context;
        if (bc == null) {
            // DS binds before activate for the initial set; activate is short, so resolve the context through the bundle
            bc = org.osgi.framework.FrameworkUtil.getBundle(ResponderWhiteboard.class).getBundleContext();
        }
        Object ch = ref.getProperty(Responder.CHANNEL);
        if (!(ch instanceof String channel)) {
            LOG.error("Responder service {} ({}) has no String property {}; not subscribed", ref.getProperty("service.id"), responder,
                    Responder.CHANNEL);
            return false;
        }
        try {
            Channels.requireValid(channel);
        } catch (IllegalArgumentException e) {
            LOG.error("Responder service {} ({}): {}; not subscribed", ref.getProperty("service.id"), responder, e.getMessage());
            return false;
        }
        Class<?> type = null;
        Object t = ref.getProperty(Responder.TYPE);
        if (t instanceof String typeName && !typeName.isBlank() && !typeName.equals("java.lang.Object")) {
            Bundle owner = ref.getBundle();
            try {
                type = owner.loadClass(typeName.trim());
            } catch (ClassNotFoundException | RuntimeException e) {
                LOG.error("Responder service {} ({}): its bundle {} cannot load request type {} ({}); not subscribed",
                        ref.getProperty("service.id"), responder, owner.getSymbolicName(), typeName, e.toString());
                return false;
            }
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(PacketHandler.CHANNEL, channel);
        props.put("chronofabric.patterns", "responder");
        props.put("chronofabric.responder.service.id", ref.getProperty("service.id"));
        ServiceRegistration<?> reg = bc.registerService(PacketHandler.class, new ResponderHandler(responder, channel, type, () -> bus), props);
        ServiceRegistration<?> old = handlers.put(ref, reg);
        subscribedAs.put(ref, subscriptionKey(ref));
        if (old != null) {
            unregister(old);
        }
        LOG.info("Responder {} answers channel {}", responder, channel);
        return true;
    }

    /**
     * Service properties changed (e.g. the responder's component got its configuration): its
     * subscription stays as it is unless its channel or type changed, so requests never meet a gap;
     * a change subscribes the new handler before the old one goes.
     */
    void updatedResponder(ServiceReference<Responder<?, ?>> ref, Responder<?, ?> responder) {
        if (handlers.containsKey(ref) && subscriptionKey(ref).equals(subscribedAs.get(ref))) {
            return;
        }
        if (!subscribe(ref, responder)) {
            unbindResponder(ref);
        }
    }

    private static String subscriptionKey(ServiceReference<?> ref) {
        return ref.getProperty(Responder.CHANNEL) + "\n" + ref.getProperty(Responder.TYPE);
    }

    void unbindResponder(ServiceReference<Responder<?, ?>> ref) {
        subscribedAs.remove(ref);
        ServiceRegistration<?> reg = handlers.remove(ref);
        if (reg != null) {
            unregister(reg);
        }
    }

    @Deactivate
    void deactivate() {
        handlers.values().forEach(ResponderWhiteboard::unregister);
        handlers.clear();
        subscribedAs.clear();
        context = null;
    }

    private static void unregister(ServiceRegistration<?> reg) {
        try {
            reg.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
    }
}

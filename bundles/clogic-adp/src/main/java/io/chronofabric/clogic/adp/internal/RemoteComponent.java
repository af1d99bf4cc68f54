package io.chronofabric.clogic.adp.internal;

import io.chronofabric.api.adp.ComputeCall;
import io.chronofabric.api.adp.WorkPlace;
import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.compute.ComputeBackend;
import io.chronofabric.api.patterns.RequestReply;
import io.chronofabric.api.patterns.Responder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster nodes as ADP places for compute units, from ADP's configuration: registers a
 * {@link RemotePlace} as a {@link WorkPlace} service per entry of {@code remote.places} (ADP picks
 * them up like any other), and the {@link RemoteComputeResponder} as a {@link Responder} on
 * {@code remote.responder.channel} when set. Re-registers both when the configuration changes.
 */
@Component(name = "io.chronofabric.clogic.adp.remote", configurationPid = AdpConfig.PID, service = {}, immediate = true)
public final class RemoteComponent {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteComponent.class);

    private final List<ComputeBackend> backends = new CopyOnWriteArrayList<>();
    private volatile RequestReply requestReply;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private volatile RemoteComputeResponder responder;
    private BundleContext context;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindRequestReply(RequestReply r) {
        requestReply = r;
    }

    void unbindRequestReply(RequestReply r) {
        if (requestReply == r) {
            requestReply = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindBackend(ComputeBackend b) {
        backends.add(b);
    }

    void unbindBackend(ComputeBackend b) {
        backends.remove(b);
        RemoteComputeResponder r = responder;
        if (r != null) {
            r.backendGone(b);
        }
    }

    @Activate
    synchronized void activate(BundleContext ctx, AdpConfig config) {
        this.context = ctx;
        apply(config);
    }

    @Modified
    synchronized void modified(AdpConfig config) {
        apply(config);
    }

    @Deactivate
    synchronized void deactivate() {
        unregisterAll();
    }

    private void apply(AdpConfig config) {
        Map<String, String> places;
        String responderChannel = config.remote_responder_channel().trim();
        try {
            places = parsePlaces(config.remote_places());
            check("remote.timeout.ms", config.remote_timeout_ms());
            check("remote.responder.timeout.ms", config.remote_responder_timeout_ms());
            check("remote.retry.ms", config.remote_retry_ms());
            if (config.remote_gone_after() < 1 || config.remote_gone_after() > 1000) {
                throw new IllegalArgumentException("remote.gone.after " + config.remote_gone_after() + " is outside 1..1000");
            }
            if (!responderChannel.isEmpty()) {
                Channels.requireValid(responderChannel);
            }
        } catch (IllegalArgumentException e) {
            LOG.error("ADP remote places: configuration refused, keeping the previous one: {}", e.getMessage());
            return;
        }
        unregisterAll();
        Duration timeout = Duration.ofMillis(config.remote_timeout_ms());
        places.forEach((node, channel) -> {
            RemotePlace p = new RemotePlace(node, channel, () -> requestReply, timeout, config.remote_gone_after(),
                    Duration.ofMillis(config.remote_retry_ms()));
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("adp.remote.node", node);
            props.put("adp.remote.channel", channel);
            registrations.add(context.registerService(WorkPlace.class, p, props));
            LOG.info("ADP remote place {} on channel {}", p.name(), channel);
        });
        if (!responderChannel.isEmpty()) {
            RemoteComputeResponder r = new RemoteComputeResponder(() -> backends, Duration.ofMillis(config.remote_responder_timeout_ms()));
            responder = r;
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(Responder.CHANNEL, responderChannel);
            props.put(Responder.TYPE, ComputeCall.class.getName());
            registrations.add(context.registerService(Responder.class, r, props));
            LOG.info("ADP remote compute responder on channel {}", responderChannel);
        }
    }

    private void unregisterAll() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException ignored) {
                // already gone with the bundle
            }
        }
        registrations.clear();
        RemoteComputeResponder r = responder;
        responder = null;
        if (r != null) {
            r.close();
        }
    }

    private static void check(String key, long ms) {
        if (ms < 1 || ms > 3_600_000) {
            throw new IllegalArgumentException(key + " " + ms + " is outside 1..3600000");
        }
    }

    /**
     * {@code node1=adp.remote.1, node2=adp.remote.2} as node name to channel, in order.
     *
     * @throws IllegalArgumentException naming the entry that is wrong
     */
    static Map<String, String> parsePlaces(String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String entry : spec.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            if (eq <= 0 || eq == e.length() - 1) {
                throw new IllegalArgumentException("remote.places entry '" + e + "' is not name=channel");
            }
            String node = e.substring(0, eq).trim();
            String channel = e.substring(eq + 1).trim();
            if (node.isEmpty() || node.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                throw new IllegalArgumentException("remote.places entry '" + e + "': node name '" + node + "' is empty or has whitespace");
            }
            try {
                Channels.requireValid(channel);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("remote.places entry '" + e + "': " + ex.getMessage(), ex);
            }
            if (channel.equals(RequestReply.REPLY_CHANNEL)) {
                throw new IllegalArgumentException("remote.places entry '" + e + "': the channel cannot be " + RequestReply.REPLY_CHANNEL);
            }
            if (out.put(node, channel) != null) {
                throw new IllegalArgumentException("remote.places names node '" + node + "' twice");
            }
        }
        return out;
    }
}

package io.chronofabric.web.internal;

import io.chronofabric.api.bus.DeadLetterLog;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.clogic.ClogicCoordinator;
import io.chronofabric.api.clogic.CognitiveModule;
import io.chronofabric.api.compute.HardwareAbstraction;
import io.chronofabric.api.consensus.Consensus;
import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import io.chronofabric.api.quantum.QuantumSimulator;
import io.chronofabric.api.scheduler.DeadlineScheduler;
import io.chronofabric.api.scheduler.TimeOracle;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.api.time.TimeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.servlet.Servlet;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the dashboard at {@code /chronofabric/} and its API at {@code /chronofabric/api/} on the
 * HTTP whiteboard. Every port reference is optional, dynamic and greedy: the page shows what is
 * registered. Nothing is computed unless a request or an SSE client asks for it.
 */
@Component(name = WebConfig.PID, configurationPid = WebConfig.PID, immediate = true, service = {})
@Designate(ocd = WebConfig.class)
public final class DashboardComponent {

    static final String PAGE_SERVLET = "chronofabric-web-page";
    static final String API_SERVLET = "chronofabric-web-api";

    private static final Logger LOG = LoggerFactory.getLogger(DashboardComponent.class);

    /** The fabric's port interfaces by name, for the health table (ports this bundle does not import too). */
    private static final List<String[]> PORTS = List.of(
            new String[] {"time-source", "io.chronofabric.api.time.TimeSource"},
            new String[] {"hlc", "io.chronofabric.api.time.HlcClock"},
            new String[] {"bus", "io.chronofabric.api.bus.EventBus"},
            new String[] {"deadletters", "io.chronofabric.api.bus.DeadLetterLog"},
            new String[] {"scheduler", "io.chronofabric.api.scheduler.DeadlineScheduler"},
            new String[] {"time-oracle", "io.chronofabric.api.scheduler.TimeOracle"},
            new String[] {"ledger", "io.chronofabric.api.ledger.SecureImmutableLedger"},
            new String[] {"consensus", "io.chronofabric.api.consensus.Consensus"},
            new String[] {"clogic", "io.chronofabric.api.clogic.CognitiveModule"},
            new String[] {"compute", "io.chronofabric.api.compute.ComputeBackend"},
            new String[] {"quantum", "io.chronofabric.api.quantum.QuantumSimulator"});

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventBus bus;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeadLetterLog deadLetters;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeadlineScheduler scheduler;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TimeOracle oracle;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SecureImmutableLedger ledger;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HlcClock hlc;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TimeSource time;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private final List<QuantumSimulator> quantum = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ClogicCoordinator clogic;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private final List<CognitiveModule> modules = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HardwareAbstraction compute;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Consensus consensus;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.chronofabric.api.trace.TraceStore traces;

    /** The latest C-LOGIC payloads (patterns, affect, decisions), filled by whiteboard handlers. */
    private final RecentEvents events = new RecentEvents(64);
    private final List<ServiceRegistration<?>> handlers = new ArrayList<>();

    private BundleContext context;
    private volatile WebConfig config;
    private volatile SseHub hub;
    private volatile Api.Authenticator auth;
    private final List<ServiceRegistration<Servlet>> registrations = new ArrayList<>();

    @Activate
    void activate(BundleContext ctx, WebConfig cfg) {
        this.context = ctx;
        apply(cfg);
        register(PAGE_SERVLET, "/chronofabric/*", new PageServlet(), false);
        register(API_SERVLET, "/chronofabric/api/*",
                new ApiServlet(this::sources, () -> config, () -> hub, () -> auth), true);
        for (String channel : Snapshot.CLOGIC_EVENT_CHANNELS) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(PacketHandler.CHANNEL, channel);
            props.put("chronofabric.web", "recent-events");
            PacketHandler<Object> h = new PacketHandler<>() {
                @Override
                public void onPacket(PhasePacket<Object> packet) {
                    events.record(channel, packet.isStamped() ? packet.timestamp().physical() : 0, packet.payload());
                }
            };
            handlers.add(ctx.registerService(PacketHandler.class, h, props));
        }
        LOG.info("Dashboard served at /chronofabric/ on the HTTP whiteboard (API under /chronofabric/api/)");
    }

    @Modified
    void modified(WebConfig cfg) {
        apply(cfg);
    }

    @Deactivate
    synchronized void deactivate() {
        for (ServiceRegistration<Servlet> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
        }
        registrations.clear();
        for (ServiceRegistration<?> r : handlers) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
        }
        handlers.clear();
        SseHub h = hub;
        if (h != null) {
            h.close();
        }
    }

    private synchronized void apply(WebConfig cfg) {
        checked(cfg);
        SseHub next = new SseHub(() -> Snapshot.status(sources(), cfg.max_subscriptions()), cfg.sse_interval_ms(),
                cfg.max_sse_clients());
        config = cfg;
        auth = new JaasAuthenticator(cfg.realm(), cfg.write_role());
        SseHub old = hub;
        hub = next;
        if (old != null) {
            old.close(); // clients reconnect (retry: 3000) to the new hub
        }
    }

    /** @throws IllegalArgumentException naming the first key out of range (the SSE keys: {@link SseHub}) */
    static WebConfig checked(WebConfig cfg) {
        if (cfg.max_publish() < 1 || cfg.max_publish() > 1_000_000) {
            throw new IllegalArgumentException(WebConfig.PID + " max.publish must be 1..1000000, got "
                    + cfg.max_publish());
        }
        if (cfg.max_subscriptions() < 1 || cfg.max_subscriptions() > 1000) {
            throw new IllegalArgumentException(WebConfig.PID + " max.subscriptions must be 1..1000, got "
                    + cfg.max_subscriptions());
        }
        if (cfg.realm() == null || cfg.realm().isBlank() || cfg.write_role() == null || cfg.write_role().isBlank()) {
            throw new IllegalArgumentException(WebConfig.PID + " realm and write.role must not be empty, got '"
                    + cfg.realm() + "' and '" + cfg.write_role() + "'");
        }
        return cfg;
    }

    private void register(String name, String pattern, Servlet servlet, boolean async) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, pattern);
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, name);
        if (async) {
            props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED, Boolean.TRUE);
        }
        registrations.add(context.registerService(Servlet.class, servlet, props));
    }

    Sources sources() {
        return new Sources(bus, deadLetters, scheduler, oracle, ledger, hlc, time, List.copyOf(quantum),
                () -> portStates(context), clogic, List.copyOf(modules), compute, consensus, events, traces);
    }

    /** Every registered provider of every port, with its health, newest ranking first. */
    static List<Sources.PortState> portStates(BundleContext ctx) {
        List<Sources.PortState> states = new ArrayList<>();
        for (String[] p : PORTS) {
            ServiceReference<?>[] refs;
            try {
                refs = ctx.getAllServiceReferences(p[1], null);
            } catch (InvalidSyntaxException | IllegalStateException e) {
                continue;
            }
            if (refs == null) {
                states.add(p[0].equals("consensus")
                        ? new Sources.PortState(p[0], null, "OPTIONAL", "not installed: this node runs alone (feature chronofabric-cluster)")
                        : new Sources.PortState(p[0], null, "ABSENT", "no service registered"));
                continue;
            }
            List<ServiceReference<?>> list = new ArrayList<>(Arrays.asList(refs));
            list.sort(Comparator.<ServiceReference<?>>naturalOrder().reversed());
            for (ServiceReference<?> ref : list) {
                Sources.PortState s = health(ctx, p[0], ref);
                if (s != null) {
                    states.add(s);
                }
            }
        }
        return states;
    }

    private static Sources.PortState health(BundleContext ctx, String port, ServiceReference<?> ref) {
        String provider = providerName(ref);
        Object service;
        try {
            service = ctx.getService(ref);
        } catch (RuntimeException e) {
            return new Sources.PortState(port, provider, "DOWN", "service could not be obtained: " + e);
        }
        if (service == null) {
            return null; // unregistered since it was listed
        }
        try {
            if (service instanceof HealthIndicator h) {
                try {
                    HealthReport r = h.health();
                    return new Sources.PortState(port, provider, r.status().name(), r.summary());
                } catch (RuntimeException e) {
                    return new Sources.PortState(port, provider, "DOWN", "health check threw " + e);
                }
            }
            if (service instanceof io.chronofabric.api.compute.ComputeBackend b) {
                // a backend whose device or driver is missing is not broken: it says why it cannot run
                try {
                    return b.isAvailable() ? new Sources.PortState(port, provider, "UP", "available: " + b.device())
                            : new Sources.PortState(port, provider, "UNAVAILABLE", b.unavailableReason().orElse("unavailable"));
                } catch (RuntimeException e) {
                    return new Sources.PortState(port, provider, "DOWN", "availability check threw " + e);
                }
            }
            return new Sources.PortState(port, provider, null, null);
        } finally {
            try {
                ctx.ungetService(ref);
            } catch (IllegalStateException ignored) {
                // our context is gone: the component is stopping
            }
        }
    }

    private static String providerName(ServiceReference<?> ref) {
        Object name = ref.getProperty("component.name");
        if (name != null) {
            return name.toString();
        }
        Bundle b = ref.getBundle();
        return b == null ? "service " + ref.getProperty("service.id") : b.getSymbolicName();
    }
}

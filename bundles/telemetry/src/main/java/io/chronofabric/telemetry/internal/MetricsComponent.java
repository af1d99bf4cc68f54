package io.chronofabric.telemetry.internal;

import io.chronofabric.api.bus.DeadLetterLog;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import io.chronofabric.api.scheduler.DeadlineScheduler;
import io.chronofabric.api.scheduler.TimeOracle;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.api.time.TimeSource;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
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
 * Serves {@code /metrics} on the HTTP whiteboard. The servlet is registered by this component
 * (not as a DS service of its own) so its path is the typed {@code path} key; every port reference
 * is optional, dynamic and greedy, and a port that is absent just drops its families.
 */
@Component(name = TelemetryConfig.PID, configurationPid = TelemetryConfig.PID, immediate = true, service = {})
@Designate(ocd = TelemetryConfig.class)
public final class MetricsComponent {

    static final String SERVLET_NAME = "chronofabric-metrics";

    private static final Logger LOG = LoggerFactory.getLogger(MetricsComponent.class);

    private static final HealthReport GONE = HealthReport.down("unregistered", List.of());

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
    private final List<io.chronofabric.api.clogic.CognitiveModule> modules = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.chronofabric.api.clogic.ClogicCoordinator clogic;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.chronofabric.api.compute.HardwareAbstraction compute;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.chronofabric.api.consensus.Consensus consensus;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.chronofabric.api.compute.MlirRuntime runtime;

    // the bus registers it next to EventBus (bus API 1.3); a bus without it writes no limit series
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.chronofabric.api.bus.ChannelThrottle throttle;

    private BundleContext context;
    private volatile MetricsCollector collector;
    private volatile boolean healthFamily;
    private ServiceRegistration<Servlet> registration;
    private String path;

    @Activate
    void activate(BundleContext ctx, TelemetryConfig config) {
        this.context = ctx;
        apply(config);
    }

    @Modified
    void modified(TelemetryConfig config) {
        apply(config);
    }

    @Deactivate
    synchronized void deactivate() {
        unregister();
    }

    private synchronized void apply(TelemetryConfig config) {
        String newPath = checkedPath(config.path());
        java.util.Set<Family> families = Family.parse(config.families());
        collector = new MetricsCollector(families, config.max_subscriptions(), config.max_tasks());
        healthFamily = families.contains(Family.HEALTH);
        if (registration != null && newPath.equals(path)) {
            return;
        }
        unregister();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, newPath);
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, SERVLET_NAME);
        registration = context.registerService(Servlet.class, new MetricsServlet(this::collect), props);
        path = newPath;
        LOG.info("Prometheus metrics served at {} on the HTTP whiteboard, families {}", newPath, families);
    }

    static String checkedPath(String p) {
        if (p == null || !p.startsWith("/") || p.contains(" ")) {
            throw new IllegalArgumentException(TelemetryConfig.PID + " path must start with / and hold no spaces, got '"
                    + p + "'");
        }
        return p;
    }

    private void unregister() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
            registration = null;
        }
    }

    MetricSnapshots collect() {
        return collector.collect(new Sources(bus, deadLetters, scheduler, oracle, ledger, hlc, time,
                healthFamily ? portStates(context) : List.of(), modules, clogic, compute, consensus, runtime, throttle));
    }

    /** Every registered provider of every port, with its health (as {@code csf:status} reads it). */
    static List<PortState> portStates(BundleContext ctx) {
        List<PortState> states = new ArrayList<>();
        for (PortTable.Port p : PortTable.ALL) {
            ServiceReference<?>[] refs;
            try {
                refs = ctx.getAllServiceReferences(p.type(), null);
            } catch (InvalidSyntaxException | IllegalStateException e) {
                continue;
            }
            if (refs == null) {
                continue;
            }
            List<ServiceReference<?>> list = new ArrayList<>(Arrays.asList(refs));
            list.sort(Comparator.<ServiceReference<?>>naturalOrder().reversed());
            for (ServiceReference<?> ref : list) {
                HealthReport report = health(ctx, ref);
                if (report != GONE) {
                    states.add(new PortState(p.name(), providerName(ref), report));
                }
            }
        }
        return states;
    }

    static String providerName(ServiceReference<?> ref) {
        Object name = ref.getProperty("component.name");
        if (name != null) {
            return name.toString();
        }
        Bundle b = ref.getBundle();
        return b == null ? "service " + ref.getProperty("service.id") : b.getSymbolicName();
    }

    static HealthReport health(BundleContext ctx, ServiceReference<?> ref) {
        Object service;
        try {
            service = ctx.getService(ref);
        } catch (RuntimeException e) {
            return HealthReport.down("service could not be obtained: " + e, List.of());
        }
        if (service == null) {
            return GONE; // unregistered since it was listed
        }
        try {
            if (service instanceof HealthIndicator h) {
                try {
                    return h.health();
                } catch (RuntimeException e) {
                    return HealthReport.down("health check threw " + e, List.of());
                }
            }
            return null;
        } finally {
            try {
                ctx.ungetService(ref);
            } catch (IllegalStateException ignored) {
                // our context is gone: the component is stopping
            }
        }
    }
}

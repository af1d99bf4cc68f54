package io.chronofabric.health.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.felix.hc.api.HealthCheck;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers one {@link HealthCheck} per port ({@code hc.name} "ChronoFabric &lt;port&gt;", tags from
 * configuration). The checks exist whether the port does or not, so a stopped port shows up as a
 * failing check rather than a missing one.
 */
@Component(name = HealthConfig.PID, configurationPid = HealthConfig.PID, immediate = true, service = {})
@Designate(ocd = HealthConfig.class)
public final class PortHealthChecks {

    static final String NAME_PREFIX = "ChronoFabric ";

    private static final Logger LOG = LoggerFactory.getLogger(PortHealthChecks.class);

    private final List<ServiceRegistration<HealthCheck>> registrations = new ArrayList<>();
    private BundleContext context;

    @Activate
    synchronized void activate(BundleContext ctx, HealthConfig config) {
        this.context = ctx;
        register(config);
    }

    @Modified
    synchronized void modified(HealthConfig config) {
        unregister();
        register(config);
    }

    @Deactivate
    synchronized void deactivate() {
        unregister();
    }

    private void register(HealthConfig config) {
        PortJudge judge = new PortJudge(PortJudge.parseStatus("absent.result", config.absent_result()),
                PortJudge.parseStatus("degraded.result", config.degraded_result()));
        Set<String> required = requiredPorts(config.required_ports());
        String[] tags = Arrays.stream(config.tags()).flatMap(t -> Arrays.stream(t.split(","))).map(String::trim)
                .filter(t -> !t.isEmpty()).toArray(String[]::new);
        for (Ports.Port p : Ports.ALL) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(HealthCheck.NAME, NAME_PREFIX + p.name());
            props.put(HealthCheck.TAGS, tags);
            props.put("chronofabric.port", p.name());
            registrations.add(context.registerService(HealthCheck.class,
                    new PortHealthCheck(context, p, required.contains(p.name()), judge), props));
        }
        LOG.info("Health checks registered for {} ports, tags {}, required {}", Ports.ALL.size(), Arrays.toString(tags),
                required);
    }

    static Set<String> requiredPorts(String[] configured) {
        Set<String> known = Ports.ALL.stream().map(Ports.Port::name).collect(Collectors.toSet());
        Set<String> out = new HashSet<>();
        for (String raw : configured) {
            for (String part : raw.split(",")) {
                String n = part.trim();
                if (n.isEmpty()) {
                    continue;
                }
                if (!known.contains(n)) {
                    throw new IllegalArgumentException("Unknown port '" + n + "' in " + HealthConfig.PID
                            + " required.ports; known: " + known);
                }
                out.add(n);
            }
        }
        return out;
    }

    private void unregister() {
        for (ServiceRegistration<HealthCheck> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
        }
        registrations.clear();
    }
}

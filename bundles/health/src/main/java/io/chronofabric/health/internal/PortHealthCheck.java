package io.chronofabric.health.internal;

import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** The health check of one port: asks every registered provider at execution time. */
final class PortHealthCheck implements HealthCheck {

    private final BundleContext context;
    private final Ports.Port port;
    private final boolean required;
    private final PortJudge judge;

    PortHealthCheck(BundleContext context, Ports.Port port, boolean required, PortJudge judge) {
        this.context = context;
        this.port = port;
        this.required = required;
        this.judge = judge;
    }

    @Override
    public Result execute() {
        List<PortJudge.Provider> providers = new ArrayList<>();
        ServiceReference<?>[] refs;
        try {
            refs = context.getAllServiceReferences(port.type(), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // no filter is passed
        }
        if (refs != null) {
            List<ServiceReference<?>> list = new ArrayList<>(Arrays.asList(refs));
            list.sort(Comparator.<ServiceReference<?>>naturalOrder().reversed());
            for (ServiceReference<?> ref : list) {
                Object service = context.getService(ref);
                if (service == null) {
                    continue; // unregistered since it was listed
                }
                try {
                    providers.add(new PortJudge.Provider(providerName(ref), report(service)));
                } finally {
                    context.ungetService(ref);
                }
            }
        }
        return judge.judge(port, required, providers);
    }

    private static HealthReport report(Object service) {
        if (!(service instanceof HealthIndicator h)) {
            return null;
        }
        try {
            return h.health();
        } catch (RuntimeException e) {
            return HealthReport.down("health check threw " + e, List.of());
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

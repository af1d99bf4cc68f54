package io.chronofabric.shell.internal;

import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Shows every port service: present or absent, its provider bundle, its health; then the
 * installed bridges (HealthIndicator services with the {@value #BRIDGE} property, e.g. the Event
 * Admin and Typed Events bridges).
 */
@Service
@Command(scope = "csf", name = "status", description = "Shows every ChronoFabric port service and bridge: present or absent, provider bundle, health.")
public class StatusCommand implements Action {

    /** Service property of a bridge's HealthIndicator: the bridge's name (eventadmin, typedevent). */
    static final String BRIDGE = "chronofabric.bridge";

    @Argument(index = 0, name = "port", required = false, description = "Show only this port (e.g. hlc, bus, ledger), or bridges.")
    @Completion(PortNameCompleter.class)
    String port;

    @Option(name = "-d", aliases = "--details", description = "Also print each service's health details.")
    boolean details;

    @Reference
    BundleContext bundleContext;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        PrintStream out = session.getConsole();
        List<Ports.Port> ports = Ports.ALL;
        boolean bridgesOnly = "bridges".equalsIgnoreCase(port);
        if (bridgesOnly) {
            ports = List.of();
        } else if (port != null) {
            Ports.Port p = Ports.byName(port).orElseThrow(() -> new IllegalArgumentException(
                    "Unknown port '" + port + "': expected one of " + String.join(", ", Ports.names()) + ", or bridges"));
            ports = List.of(p);
        }
        ShellTable table = new ShellTable();
        table.column("Port");
        table.column("Service");
        table.column("State");
        table.column("Provider");
        table.column("Health");
        List<String> detailLines = new ArrayList<>();
        for (Ports.Port p : ports) {
            List<ServiceReference<?>> refs = references(p.type());
            if (refs.isEmpty()) {
                table.addRow().addContent(p.name(), p.type().getSimpleName(), "absent", "-", "-");
                continue;
            }
            for (ServiceReference<?> ref : refs) {
                addRow(table, p.name(), p.type().getSimpleName(), ref, detailLines);
            }
        }
        if (port == null || bridgesOnly) {
            ServiceReference<?>[] bridges = bundleContext.getAllServiceReferences(HealthIndicator.class.getName(), "(" + BRIDGE + "=*)");
            if (bridges == null) {
                table.addRow().addContent("bridges", "-", "none installed", "-", "-");
            } else {
                List<ServiceReference<?>> sorted = new ArrayList<>(Arrays.asList(bridges));
                sorted.sort(Comparator.comparing(r -> String.valueOf(r.getProperty(BRIDGE))));
                for (ServiceReference<?> ref : sorted) {
                    addRow(table, "bridge:" + ref.getProperty(BRIDGE), "HealthIndicator", ref, detailLines);
                }
            }
        }
        table.print(out);
        for (String d : detailLines) {
            out.println(d);
        }
        return null;
    }

    private void addRow(ShellTable table, String name, String type, ServiceReference<?> ref, List<String> detailLines) {
        Bundle provider = ref.getBundle();
        String providerText = provider == null ? "(unregistered)"
                : provider.getSymbolicName() + " " + provider.getVersion() + " [" + provider.getBundleId() + "]";
        HealthReport health = health(ref);
        String healthText = health == null ? availability(ref) : health.status() + " " + health.summary();
        table.addRow().addContent(name, type, "present", providerText, healthText);
        if (details && health != null) {
            for (String d : health.details()) {
                detailLines.add(name + ": " + d);
            }
        }
    }

    private List<ServiceReference<?>> references(Class<?> type) throws InvalidSyntaxException {
        ServiceReference<?>[] refs = bundleContext.getAllServiceReferences(type.getName(), null);
        if (refs == null) {
            return List.of();
        }
        List<ServiceReference<?>> list = new ArrayList<>(Arrays.asList(refs));
        // highest ranking first, then oldest: the one a consumer would get
        list.sort(Comparator.<ServiceReference<?>>naturalOrder().reversed());
        return list;
    }

    /** For a service without health: a compute backend says whether it can run, and why not; others n/a. */
    private String availability(ServiceReference<?> ref) {
        Object service = bundleContext.getService(ref);
        if (service == null) {
            return "n/a";
        }
        try {
            if (service instanceof io.chronofabric.api.compute.ComputeBackend b) {
                try {
                    return b.isAvailable() ? "available: " + b.device()
                            : "unavailable: " + b.unavailableReason().orElse("no reason given");
                } catch (RuntimeException e) {
                    return "availability check threw " + e;
                }
            }
            return "n/a";
        } finally {
            bundleContext.ungetService(ref);
        }
    }

    private HealthReport health(ServiceReference<?> ref) {
        Object service = bundleContext.getService(ref);
        if (service == null) {
            return null;
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
            bundleContext.ungetService(ref);
        }
    }

    static String serviceId(ServiceReference<?> ref) {
        return String.valueOf(ref.getProperty(Constants.SERVICE_ID));
    }
}

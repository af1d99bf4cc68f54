package io.chronofabric.telemetry.internal;

import io.chronofabric.api.bus.EventBus;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Registered while a bus is; Karaf's management feature (Aries JMX whiteboard) exposes it. */
@Component(name = "io.chronofabric.telemetry.jmx.bus", service = BusMXBean.class,
        property = "jmx.objectname=io.chronofabric:type=Bus")
public final class BusMBeanComponent implements BusMXBean {

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventBus bus;

    @Override
    public long getPublished() {
        return bus.stats().published();
    }

    @Override
    public long getDelivered() {
        return bus.stats().delivered();
    }

    @Override
    public long getDropped() {
        return bus.stats().dropped();
    }

    @Override
    public long getExpired() {
        return bus.stats().expired();
    }

    @Override
    public long getFailed() {
        return bus.stats().failed();
    }

    @Override
    public long getRetried() {
        return bus.stats().retried();
    }

    @Override
    public long getDeadLettered() {
        return bus.stats().deadLettered();
    }

    @Override
    public long getActiveSubscriptions() {
        return bus.stats().activeSubscriptions();
    }

    @Override
    public long getThroughputPerSecond() {
        return bus.stats().throughputPerSecond();
    }

    @Override
    public long getP50LatencyNanos() {
        return bus.stats().p50LatencyNanos();
    }

    @Override
    public long getP99LatencyNanos() {
        return bus.stats().p99LatencyNanos();
    }

    @Override
    public long getP999LatencyNanos() {
        return bus.stats().p999LatencyNanos();
    }

    @Override
    public long getPeakLatencyNanos() {
        return bus.stats().peakLatencyNanos();
    }

    @Override
    public long getRecentP99LatencyNanos() {
        return bus.stats().recentP99LatencyNanos();
    }

    @Override
    public int getSubscriptionCount() {
        return bus.subscriptionCount();
    }

    @Override
    public String getHealth() {
        return PortHealth.status(bus);
    }

    @Override
    public String getHealthSummary() {
        return PortHealth.summary(bus);
    }

    @Override
    public String[] getHealthDetails() {
        return PortHealth.details(bus);
    }
}

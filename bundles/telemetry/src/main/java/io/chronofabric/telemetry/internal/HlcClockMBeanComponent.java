package io.chronofabric.telemetry.internal;

import io.chronofabric.api.time.HlcClock;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

@Component(name = "io.chronofabric.telemetry.jmx.hlc", service = HlcClockMXBean.class,
        property = "jmx.objectname=io.chronofabric:type=HlcClock")
public final class HlcClockMBeanComponent implements HlcClockMXBean {

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile HlcClock clock;

    @Override
    public String getCurrent() {
        return String.valueOf(clock.current());
    }

    @Override
    public int getNodeId() {
        return clock.nodeId();
    }

    @Override
    public long getMaxOffsetNanos() {
        return clock.maxOffsetNanos();
    }

    @Override
    public long getRefusedUpdates() {
        return clock.refusedUpdates();
    }

    @Override
    public String getHealth() {
        return PortHealth.status(clock);
    }

    @Override
    public String getHealthSummary() {
        return PortHealth.summary(clock);
    }

    @Override
    public String[] getHealthDetails() {
        return PortHealth.details(clock);
    }
}

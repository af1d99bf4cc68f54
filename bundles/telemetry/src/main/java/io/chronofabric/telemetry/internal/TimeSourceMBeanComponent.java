package io.chronofabric.telemetry.internal;

import io.chronofabric.api.time.TimeSource;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

@Component(name = "io.chronofabric.telemetry.jmx.time", service = TimeSourceMXBean.class,
        property = "jmx.objectname=io.chronofabric:type=TimeSource")
public final class TimeSourceMBeanComponent implements TimeSourceMXBean {

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile TimeSource time;

    @Override
    public String getKind() {
        return time.kind();
    }

    @Override
    public long getNowNanos() {
        return time.nowNanos();
    }

    @Override
    public boolean isHardwareTiming() {
        return time.hasHardwareTiming();
    }

    @Override
    public String getHealth() {
        return PortHealth.status(time);
    }

    @Override
    public String getHealthSummary() {
        return PortHealth.summary(time);
    }

    @Override
    public String[] getHealthDetails() {
        return PortHealth.details(time);
    }
}

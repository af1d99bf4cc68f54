package io.chronofabric.telemetry.internal;

import io.chronofabric.api.scheduler.DeadlineScheduler;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

@Component(name = "io.chronofabric.telemetry.jmx.scheduler", service = SchedulerMXBean.class,
        property = "jmx.objectname=io.chronofabric:type=Scheduler")
public final class SchedulerMBeanComponent implements SchedulerMXBean {

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeadlineScheduler scheduler;

    @Override
    public double getLoad() {
        return scheduler.stats().load();
    }

    @Override
    public int getQueued() {
        return scheduler.stats().queued();
    }

    @Override
    public int getRunning() {
        return scheduler.stats().running();
    }

    @Override
    public long getCompleted() {
        return scheduler.stats().completed();
    }

    @Override
    public long getMissed() {
        return scheduler.stats().missed();
    }

    @Override
    public long getFailed() {
        return scheduler.stats().failed();
    }

    @Override
    public int getWorkers() {
        return scheduler.stats().workers();
    }

    @Override
    public String getHint() {
        return scheduler.stats().hint().name();
    }

    @Override
    public Map<String, Long> getMissesByTask() {
        return scheduler.stats().missesByTask();
    }

    @Override
    public String getHealth() {
        return PortHealth.status(scheduler);
    }

    @Override
    public String getHealthSummary() {
        return PortHealth.summary(scheduler);
    }

    @Override
    public String[] getHealthDetails() {
        return PortHealth.details(scheduler);
    }
}

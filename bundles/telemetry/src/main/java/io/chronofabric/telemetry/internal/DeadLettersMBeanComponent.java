package io.chronofabric.telemetry.internal;

import io.chronofabric.api.bus.DeadLetterLog;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

@Component(name = "io.chronofabric.telemetry.jmx.deadletters", service = DeadLettersMXBean.class,
        property = "jmx.objectname=io.chronofabric:type=DeadLetters")
public final class DeadLettersMBeanComponent implements DeadLettersMXBean {

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeadLetterLog log;

    @Override
    public long getSize() {
        return log.size();
    }

    @Override
    public long getFirstSequence() {
        return log.firstSequence();
    }

    @Override
    public long getNextSequence() {
        return log.nextSequence();
    }

    @Override
    public String getHealth() {
        return PortHealth.status(log);
    }

    @Override
    public String getHealthSummary() {
        return PortHealth.summary(log);
    }

    @Override
    public String[] getHealthDetails() {
        return PortHealth.details(log);
    }
}

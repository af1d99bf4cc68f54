package io.chronofabric.telemetry.internal;

import io.chronofabric.api.scheduler.TimeOracle;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

@Component(name = "io.chronofabric.telemetry.jmx.oracle", service = TimeOracleMXBean.class,
        property = "jmx.objectname=io.chronofabric:type=TimeOracle")
public final class TimeOracleMBeanComponent implements TimeOracleMXBean {

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile TimeOracle oracle;

    @Override
    public String getHint() {
        return oracle.currentHint().name();
    }

    @Override
    public String getExplanation() {
        return oracle.explanation();
    }

    @Override
    public String getHealth() {
        return PortHealth.status(oracle);
    }

    @Override
    public String getHealthSummary() {
        return PortHealth.summary(oracle);
    }

    @Override
    public String[] getHealthDetails() {
        return PortHealth.details(oracle);
    }
}

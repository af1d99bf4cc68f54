package io.chronofabric.telemetry.internal;

import io.chronofabric.api.ledger.SecureImmutableLedger;
import java.util.HexFormat;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

@Component(name = "io.chronofabric.telemetry.jmx.ledger", service = LedgerMXBean.class,
        property = "jmx.objectname=io.chronofabric:type=Ledger")
public final class LedgerMBeanComponent implements LedgerMXBean {

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile SecureImmutableLedger ledger;

    @Override
    public long getSize() {
        return ledger.size();
    }

    @Override
    public String getRootHash() {
        return HexFormat.of().formatHex(ledger.rootHash());
    }

    @Override
    public String getHealth() {
        return PortHealth.status(ledger);
    }

    @Override
    public String getHealthSummary() {
        return PortHealth.summary(ledger);
    }

    @Override
    public String[] getHealthDetails() {
        return PortHealth.details(ledger);
    }
}

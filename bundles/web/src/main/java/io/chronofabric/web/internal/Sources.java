package io.chronofabric.web.internal;

import io.chronofabric.api.bus.DeadLetterLog;
import io.chronofabric.api.clogic.ClogicCoordinator;
import io.chronofabric.api.clogic.CognitiveModule;
import io.chronofabric.api.compute.HardwareAbstraction;
import io.chronofabric.api.consensus.Consensus;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import io.chronofabric.api.quantum.QuantumSimulator;
import io.chronofabric.api.scheduler.DeadlineScheduler;
import io.chronofabric.api.scheduler.TimeOracle;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.api.time.TimeSource;
import java.util.List;
import java.util.function.Supplier;

/** The port services as seen at one moment; any of them may be null (absent). */
record Sources(EventBus bus, DeadLetterLog deadLetters, DeadlineScheduler scheduler, TimeOracle oracle,
        SecureImmutableLedger ledger, HlcClock hlc, TimeSource time, List<QuantumSimulator> quantum,
        Supplier<List<PortState>> ports, ClogicCoordinator clogic, List<CognitiveModule> modules,
        HardwareAbstraction compute, Consensus consensus, RecentEvents events,
        io.chronofabric.api.trace.TraceStore traces) {

    /** Without the C-LOGIC, compute and cluster ports. */
    Sources(EventBus bus, DeadLetterLog deadLetters, DeadlineScheduler scheduler, TimeOracle oracle,
            SecureImmutableLedger ledger, HlcClock hlc, TimeSource time, List<QuantumSimulator> quantum,
            Supplier<List<PortState>> ports) {
        this(bus, deadLetters, scheduler, oracle, ledger, hlc, time, quantum, ports, null, List.of(), null, null,
                new RecentEvents(1), null);
    }

    /** One registered provider of one port and its health (status null: the service reports none). */
    record PortState(String port, String provider, String status, String summary) {
    }
}

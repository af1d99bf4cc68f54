package io.chronofabric.telemetry.internal;

import io.chronofabric.api.bus.ChannelThrottle;
import io.chronofabric.api.bus.DeadLetterLog;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import io.chronofabric.api.scheduler.DeadlineScheduler;
import io.chronofabric.api.scheduler.TimeOracle;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.api.time.TimeSource;
import java.util.List;

/**
 * The port services one scrape reads; any of them may be null (absent), and their families are
 * then left out. {@code ports} lists every port provider for the health gauges (empty when none).
 * {@code throttle} is the bus's per-channel rate limit service (bus API 1.3), written with the bus
 * family.
 */
record Sources(EventBus bus, DeadLetterLog deadLetters, DeadlineScheduler scheduler, TimeOracle oracle,
        SecureImmutableLedger ledger, HlcClock hlc, TimeSource time, List<PortState> ports,
        List<io.chronofabric.api.clogic.CognitiveModule> modules, io.chronofabric.api.clogic.ClogicCoordinator clogic,
        io.chronofabric.api.compute.HardwareAbstraction compute, io.chronofabric.api.consensus.Consensus consensus,
        io.chronofabric.api.compute.MlirRuntime runtime, ChannelThrottle throttle) {

    Sources {
        ports = ports == null ? List.of() : List.copyOf(ports);
        modules = modules == null ? List.of() : List.copyOf(modules);
    }

    /** Without the channel throttle. */
    Sources(EventBus bus, DeadLetterLog deadLetters, DeadlineScheduler scheduler, TimeOracle oracle,
            SecureImmutableLedger ledger, HlcClock hlc, TimeSource time, List<PortState> ports,
            List<io.chronofabric.api.clogic.CognitiveModule> modules, io.chronofabric.api.clogic.ClogicCoordinator clogic,
            io.chronofabric.api.compute.HardwareAbstraction compute, io.chronofabric.api.consensus.Consensus consensus,
            io.chronofabric.api.compute.MlirRuntime runtime) {
        this(bus, deadLetters, scheduler, oracle, ledger, hlc, time, ports, modules, clogic, compute, consensus, runtime, null);
    }

    /** Without the C-LOGIC, compute and cluster ports and the channel throttle. */
    Sources(EventBus bus, DeadLetterLog deadLetters, DeadlineScheduler scheduler, TimeOracle oracle,
            SecureImmutableLedger ledger, HlcClock hlc, TimeSource time, List<PortState> ports) {
        this(bus, deadLetters, scheduler, oracle, ledger, hlc, time, ports, List.of(), null, null, null, null, null);
    }
}

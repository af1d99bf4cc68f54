package io.chronofabric.telemetry.internal;

import java.util.List;

/**
 * The fabric's port service interfaces, by name, so ports whose API this bundle does not import
 * (quantum, future ones) still get a health gauge.
 */
final class PortTable {

    record Port(String name, String type, boolean multiple) {
    }

    static final List<Port> ALL = List.of(
            new Port("time-source", "io.chronofabric.api.time.TimeSource", false),
            new Port("hlc", "io.chronofabric.api.time.HlcClock", false),
            new Port("bus", "io.chronofabric.api.bus.EventBus", false),
            new Port("deadletters", "io.chronofabric.api.bus.DeadLetterLog", false),
            new Port("scheduler", "io.chronofabric.api.scheduler.DeadlineScheduler", false),
            new Port("time-oracle", "io.chronofabric.api.scheduler.TimeOracle", false),
            new Port("ledger", "io.chronofabric.api.ledger.SecureImmutableLedger", false),
            new Port("consensus", "io.chronofabric.api.consensus.Consensus", false),
            new Port("clogic", "io.chronofabric.api.clogic.CognitiveModule", true),
            new Port("compute", "io.chronofabric.api.compute.ComputeBackend", true),
            new Port("quantum", "io.chronofabric.api.quantum.QuantumSimulator", true));

    private PortTable() {
    }
}

package io.chronofabric.health.internal;

import java.util.List;

/** The fabric's port service interfaces by name (this bundle needs none of their APIs). */
final class Ports {

    /**
     * @param multiple several providers may be registered (plug-ins: C-LOGIC modules, backends)
     * @param optional a single node runs without it (it comes with an optional feature), so its
     *        absence is OK unless the port is listed in {@code required.ports}
     */
    record Port(String name, String type, boolean multiple, boolean optional) {
    }

    static final List<Port> ALL = List.of(
            new Port("time-source", "io.chronofabric.api.time.TimeSource", false, false),
            new Port("hlc", "io.chronofabric.api.time.HlcClock", false, false),
            new Port("bus", "io.chronofabric.api.bus.EventBus", false, false),
            new Port("deadletters", "io.chronofabric.api.bus.DeadLetterLog", false, false),
            new Port("scheduler", "io.chronofabric.api.scheduler.DeadlineScheduler", false, false),
            new Port("time-oracle", "io.chronofabric.api.scheduler.TimeOracle", false, false),
            new Port("ledger", "io.chronofabric.api.ledger.SecureImmutableLedger", false, false),
            new Port("consensus", "io.chronofabric.api.consensus.Consensus", false, true),
            new Port("clogic", "io.chronofabric.api.clogic.CognitiveModule", true, true),
            new Port("compute", "io.chronofabric.api.compute.ComputeBackend", true, true),
            new Port("quantum", "io.chronofabric.api.quantum.QuantumSimulator", true, true));

    private Ports() {
    }
}

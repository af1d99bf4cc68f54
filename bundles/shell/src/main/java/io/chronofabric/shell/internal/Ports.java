package io.chronofabric.shell.internal;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.clogic.CognitiveModule;
import io.chronofabric.api.compute.ComputeBackend;
import io.chronofabric.api.consensus.Consensus;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import io.chronofabric.api.scheduler.DeadlineScheduler;
import io.chronofabric.api.scheduler.TimeOracle;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.api.time.SimulatedTimeSource;
import io.chronofabric.api.time.TimeSource;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The fabric's port service interfaces, in the order {@code csf:status} shows them. */
final class Ports {

    /**
     * @param name     short name typed at the console
     * @param type     the service interface
     * @param multiple whether several providers are expected (plug-ins) rather than one
     */
    record Port(String name, Class<?> type, boolean multiple) {
    }

    static final List<Port> ALL = List.of(
            new Port("time-source", TimeSource.class, false),
            new Port("simulated-time", SimulatedTimeSource.class, false),
            new Port("hlc", HlcClock.class, false),
            new Port("bus", EventBus.class, false),
            new Port("deadletters", io.chronofabric.api.bus.DeadLetterLog.class, false),
            new Port("scheduler", DeadlineScheduler.class, false),
            new Port("time-oracle", TimeOracle.class, false),
            new Port("ledger", SecureImmutableLedger.class, false),
            new Port("consensus", Consensus.class, false),
            new Port("clogic", CognitiveModule.class, true),
            new Port("compute", ComputeBackend.class, true),
            new Port("quantum", io.chronofabric.api.quantum.QuantumSimulator.class, true));

    private Ports() {
    }

    static Optional<Port> byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(p -> p.name().equals(n)).findFirst();
    }

    static List<String> names() {
        return ALL.stream().map(Port::name).toList();
    }
}

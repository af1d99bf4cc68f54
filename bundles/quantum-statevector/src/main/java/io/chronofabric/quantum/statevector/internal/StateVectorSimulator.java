package io.chronofabric.quantum.statevector.internal;

import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.quantum.AmplitudeEncoding;
import io.chronofabric.api.quantum.Circuit;
import io.chronofabric.api.quantum.QuantumResult;
import io.chronofabric.api.quantum.QuantumSimulator;
import io.chronofabric.api.quantum.Readout;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The QuantumSimulator service: an {@link Engine} for the current configuration. A configuration
 * change takes effect for the next run; runs in progress finish on the engine they started with.
 */
@Component(name = StateVectorConfig.PID, configurationPid = StateVectorConfig.PID, immediate = true, service = QuantumSimulator.class)
@Designate(ocd = StateVectorConfig.class)
public final class StateVectorSimulator implements QuantumSimulator, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(StateVectorSimulator.class);

    private volatile Engine engine;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /** For DS. */
    public StateVectorSimulator() {
    }

    /** For tests and harnesses: a simulator with these options, no framework. */
    StateVectorSimulator(Engine.Options options) {
        this.engine = new Engine(options);
    }

    @Activate
    void activate(StateVectorConfig config, Map<String, Object> raw) {
        engine = new Engine(options(config, raw));
        LOG.info("Quantum state-vector simulator ready: {}", describe(engine));
    }

    @Modified
    void modified(StateVectorConfig config, Map<String, Object> raw) {
        Engine old = engine;
        engine = new Engine(options(config, raw));
        old.retire();
        LOG.info("Quantum state-vector simulator reconfigured: {}", describe(engine));
    }

    @Deactivate
    void deactivate() {
        engine.retire();
    }

    static Engine.Options options(StateVectorConfig c, Map<String, ?> raw) {
        Engine.Options d = Engine.Options.defaults();
        int maxQubits = c.max_qubits();
        if (maxQubits < 1 || maxQubits > Engine.HARD_MAX_QUBITS) {
            LOG.error("Refused configuration {}: max.qubits={} is out of range 1..{}; using {}", StateVectorConfig.PID, raw.get("max.qubits"),
                    Engine.HARD_MAX_QUBITS, d.maxQubits());
            maxQubits = d.maxQubits();
        }
        long mb = c.max_memory_mb();
        if (mb < 1 || mb > (1L << 40)) {
            LOG.error("Refused configuration {}: max.memory.mb={} must be positive; using 4096", StateVectorConfig.PID, raw.get("max.memory.mb"));
            mb = 4096;
        }
        int threads = c.threads();
        if (threads < 0 || threads > 1024) {
            LOG.error("Refused configuration {}: threads={} is out of range 0..1024; using one per core", StateVectorConfig.PID, raw.get("threads"));
            threads = 0;
        }
        if (threads == 0) {
            threads = Runtime.getRuntime().availableProcessors();
        }
        int shots = c.max_shots();
        if (shots < 0) {
            LOG.error("Refused configuration {}: max.shots={} is negative; using {}", StateVectorConfig.PID, raw.get("max.shots"), d.maxShots());
            shots = d.maxShots();
        }
        return new Engine.Options(maxQubits, mb << 20, threads, Math.max(1, c.parallel_min_qubits()), c.fusion(), shots);
    }

    private static String describe(Engine e) {
        Engine.Options o = e.options();
        return "max " + e.maxQubits() + " qubits (max.qubits " + o.maxQubits() + ", max.memory.mb " + (o.maxMemoryBytes() >> 20) + ", heap "
                + Engine.bytes(Runtime.getRuntime().maxMemory()) + "), " + o.threads() + " thread(s) from " + o.parallelMinQubits()
                + " qubits, fusion " + (o.fusion() ? "on" : "off");
    }

    /** The current engine, held for one run; the caller releases it. */
    private Engine acquire() {
        while (true) {
            Engine e = engine;
            if (e == null) {
                throw new IllegalStateException("The quantum simulator is not active");
            }
            if (e.acquire()) {
                return e;
            }
        }
    }

    @Override
    public String name() {
        return "statevector";
    }

    @Override
    public int maxQubits() {
        return engine.maxQubits();
    }

    @Override
    public QuantumResult run(Circuit circuit, int shots, long seed, boolean wantState) {
        return run(circuit, null, shots, seed, wantState);
    }

    @Override
    public QuantumResult run(Circuit circuit, AmplitudeEncoding initial, int shots, long seed, boolean wantState) {
        Engine e = acquire();
        try {
            QuantumResult r = e.run(circuit, initial, shots, seed, wantState);
            runs.incrementAndGet();
            return r;
        } catch (RuntimeException ex) {
            refused.incrementAndGet();
            throw ex;
        } finally {
            e.release();
        }
    }

    @Override
    public AmplitudeEncoding classicalToQuantum(double[] values) {
        return engine.encode(values);
    }

    @Override
    public double[] quantumToClassical(QuantumResult result, Readout readout) {
        return Engine.readout(result, readout);
    }

    @Override
    public Circuit parseQasm(String sourceName, String source) {
        return QasmParser.parse(sourceName, source);
    }

    @Override
    public HealthReport health() {
        Engine e = engine;
        if (e == null) {
            return HealthReport.down("not active", List.of());
        }
        return HealthReport.up("up to " + e.maxQubits() + " qubits, " + runs.get() + " runs, " + refused.get() + " refused");
    }

    /** The engine in use (tests and the benchmark harness). */
    Engine engine() {
        return engine;
    }
}

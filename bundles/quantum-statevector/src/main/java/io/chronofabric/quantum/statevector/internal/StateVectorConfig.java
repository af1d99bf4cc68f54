package io.chronofabric.quantum.statevector.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the state-vector simulator, PID {@value #PID} ({@code etc/io.chronofabric.quantum.statevector.cfg}). */
@ObjectClassDefinition(id = StateVectorConfig.PID, name = "ChronoFabric quantum state-vector simulator",
        description = "Exact state-vector simulation of quantum circuits (16 bytes per amplitude, 2^n amplitudes).")
public @interface StateVectorConfig {

    String PID = "io.chronofabric.quantum.statevector";

    @AttributeDefinition(name = "Max qubits", description = "Widest circuit run, 1..30 (28 qubits = 4 GiB of state).")
    int max_qubits() default 28;

    @AttributeDefinition(name = "Max memory (MiB)", description = "Memory one state vector may take; a wider circuit is refused with the memory it needs. "
            + "The JVM heap (-Xmx, Karaf JAVA_MAX_MEM) bounds it too: the state may take 80% of it.")
    long max_memory_mb() default 4096;

    @AttributeDefinition(name = "Threads", description = "Threads that apply a gate from parallel.min.qubits on; 0 = one per core.")
    int threads() default 0;

    @AttributeDefinition(name = "Parallel from (qubits)", description = "Width from which a gate is split over the threads; below it one thread applies it (measured on 2 cores: splitting pays from 18 qubits).")
    int parallel_min_qubits() default 18;

    @AttributeDefinition(name = "Fuse gates", description = "Multiply consecutive single-qubit gates on a qubit into one matrix, applied in one pass.")
    boolean fusion() default true;

    @AttributeDefinition(name = "Max shots", description = "Most shots one run samples (8 bytes each while sampling).")
    int max_shots() default 1 << 24;
}

package io.chronofabric.telemetry.internal;

/** io.chronofabric:type=TimeOracle: the oracle's hint and why. */
public interface TimeOracleMXBean extends PortMXBean {

    String getHint();

    String getExplanation();
}

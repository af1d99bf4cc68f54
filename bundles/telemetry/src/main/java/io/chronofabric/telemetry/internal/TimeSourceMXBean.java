package io.chronofabric.telemetry.internal;

/** io.chronofabric:type=TimeSource: the active time source. */
public interface TimeSourceMXBean extends PortMXBean {

    String getKind();

    long getNowNanos();

    boolean isHardwareTiming();
}

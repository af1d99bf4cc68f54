package io.chronofabric.telemetry.internal;

/** io.chronofabric:type=HlcClock: the hybrid logical clock. */
public interface HlcClockMXBean extends PortMXBean {

    /** The latest timestamp issued, in LogicalTime's text form. */
    String getCurrent();

    int getNodeId();

    long getMaxOffsetNanos();

    long getRefusedUpdates();
}

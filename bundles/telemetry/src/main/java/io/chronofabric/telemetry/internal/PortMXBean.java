package io.chronofabric.telemetry.internal;

/** What every ChronoFabric port MBean shows. */
public interface PortMXBean {

    /** UP, DEGRADED, DOWN, or n/a when the port reports no health. */
    String getHealth();

    String getHealthSummary();

    String[] getHealthDetails();
}

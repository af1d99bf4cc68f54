package io.chronofabric.telemetry.internal;

import java.util.Map;

/** io.chronofabric:type=Scheduler: the deadline scheduler's statistics. */
public interface SchedulerMXBean extends PortMXBean {

    double getLoad();

    int getQueued();

    int getRunning();

    long getCompleted();

    long getMissed();

    long getFailed();

    int getWorkers();

    String getHint();

    Map<String, Long> getMissesByTask();
}

package io.chronofabric.network.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts a network node whose Aeron client lost its media driver (ipc: the process that ran the
 * shared driver stopped): every {@code periodMs} it asks whether the driver is lost and, if so,
 * runs the restart (stop the node, start it again: with {@code driver = auto} the first node to
 * restart launches a new driver, the others connect to it; with {@code external} it succeeds once
 * a driver runs again). A restart that fails is logged (the first and then every tenth) and tried
 * again a period later. One daemon thread; nothing on the hot path.
 */
final class DriverWatchdog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DriverWatchdog.class);

    private final ScheduledExecutorService timer;
    private long failures;

    /**
     * @param name     for the thread and the log
     * @param periodMs how often to check (> 0)
     * @param lost     whether the node lost its driver (called on the watchdog thread)
     * @param restart  stops and starts the node (called on the watchdog thread); may throw
     */
    DriverWatchdog(String name, long periodMs, BooleanSupplier lost, Runnable restart) {
        if (periodMs <= 0) {
            throw new IllegalArgumentException("driver.recover.ms must be > 0 for a watchdog: " + periodMs);
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chronofabric-network-watchdog-" + name);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                if (!lost.getAsBoolean()) {
                    return;
                }
                LOG.warn("Network {}: the media driver is gone; restarting the node", name);
                restart.run();
                LOG.info("Network {}: restarted after the loss of its media driver{}", name,
                        failures > 0 ? " (" + failures + " failed tries before)" : "");
                failures = 0;
            } catch (RuntimeException e) {
                if (failures++ % 10 == 0) {
                    LOG.warn("Network {}: restart after the loss of its media driver failed (try {}; again every {} ms): {}", name,
                            failures, periodMs, e.getMessage());
                }
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package io.chronofabric.api.bus;

import org.osgi.annotation.versioning.ProviderType;

/** The whole bus: publish, subscribe, and a health check against configured targets. */
@ProviderType
public interface EventBus extends EventBusTx, EventBusRx {

    /** Checks statistics against the configured targets (default: average latency below 1 µs, capacity above 1M packets/s). */
    BusHealth healthCheck();
}

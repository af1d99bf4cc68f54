package io.chronofabric.telemetry.internal;

import io.chronofabric.api.core.HealthReport;

/**
 * One registered port provider at scrape time.
 *
 * @param port     the port's short name (bus, ledger, ...)
 * @param provider the providing component (component.name) or bundle
 * @param report   its health, or null when the provider reports none
 */
record PortState(String port, String provider, HealthReport report) {
}

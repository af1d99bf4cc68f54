/**
 * The Temporal Task Weaver ports: an earliest-deadline-first
 * {@link io.chronofabric.api.scheduler.DeadlineScheduler} and a
 * {@link io.chronofabric.api.scheduler.TimeOracle} that turns observed load into an
 * {@link io.chronofabric.api.scheduler.OptimizationHint}.
 */
@Export
@Version("1.0.0")
package io.chronofabric.api.scheduler;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * The Temporal Task Weaver ports: an earliest-deadline-first
 * {@link io.chronofabric.api.scheduler.DeadlineScheduler} and a
 * {@link io.chronofabric.api.scheduler.TimeOracle} that turns observed load into an
 * {@link io.chronofabric.api.scheduler.OptimizationHint}, and the task whiteboard
 * ({@link io.chronofabric.api.scheduler.ScheduledWork}). Consumers may rely on the provider types
 * ({@code DeadlineScheduler}, {@code ScheduledTask}, {@code TimeOracle}) gaining methods in minor
 * versions; {@code ScheduledWork} is implemented by consumers and changes only in major versions.
 *
 * <p>1.1: the oracle's hint can be pinned for a time or until removed, with a reason
 * ({@link io.chronofabric.api.scheduler.TimeOracle#pin}, {@link io.chronofabric.api.scheduler.HintPin}).
 */
@Export
@Version("1.1.0")
package io.chronofabric.api.scheduler;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

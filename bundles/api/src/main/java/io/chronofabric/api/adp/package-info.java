/**
 * ADP, the adaptive distributed processor: submit a {@link WorkUnit} to the
 * {@link AdaptiveProcessor} service and get its result as a {@code CompletionStage}; ADP chooses
 * the place that runs it (a scheduler worker, a compute backend, a {@link WorkPlace} registered by
 * another bundle) by learning from the latency and failures it observes (multi-armed bandits:
 * UCB1 by default; LinUCB for units that carry features).
 *
 * <p><b>Roles.</b> {@link AdaptiveProcessor} is implemented by the ADP bundle only (provider
 * type); {@link WorkPlace} is a service provider interface any bundle may implement (consumer
 * type) to offer a place. The records and {@link DeadlineMissedException} are plain values.
 *
 * <p><b>Cluster nodes.</b> A compute unit (a {@link ComputeCall}: MLIR text, a function name and
 * tensors) is data and can run on another node: the ADP bundle offers places {@code remote:NAME}
 * for them over bus request/reply (configuration {@code remote.places}). A task unit (a Java
 * {@code Callable}) cannot be shipped to another JVM and stays on its node; a bundle on another
 * node can still offer work there through its own {@link WorkPlace}.
 */
@Export
@Version("1.0.0")
package io.chronofabric.api.adp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

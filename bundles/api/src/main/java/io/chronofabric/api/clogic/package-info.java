/**
 * C-LOGIC: cognitive modules (DRPP, ADP, EGC, EMS in the seed) that read from and publish to bus
 * channels, the coordinator that links their channels, and the payload records that travel on
 * those channels.
 *
 * <p><b>Payloads.</b> Every type that travels on a C-LOGIC channel is an immutable record of this
 * package ({@link PatternEvent}, {@link Modulation}, {@link AffectState}, {@link AppraisalEvent},
 * {@link GovernanceDecision}, {@link ModuleMetrics}, {@link Sample}), validated in its
 * constructor: a bad value is refused with an {@link IllegalArgumentException} naming the field
 * and the value, never stored. Any bundle can consume them without depending on a module.
 *
 * <p><b>Numbers from payloads.</b> {@link InputBinding} and {@link ValueExtraction} say how a
 * module takes a number from a packet (a numeric payload, a record field by name, or a
 * {@link Sample}); modules read them from their configuration (key {@code inputs}).
 *
 * <p>Channel names of the seed are in {@link ClogicChannels}. 1.1.0 added everything except
 * {@link CognitiveModule}'s original methods. 1.2.0 added {@link GovernanceDecision}'s {@code spec},
 * {@code robustness} and {@code rule} (its 1.1.0 constructor remains, with none of them). 1.3.0
 * added the actions {@link GovernanceAction#THROTTLE} (a bus channel's rate limit) and
 * {@link GovernanceAction#ORACLE_HINT} (a pin of the time oracle's hint), which the governance
 * module applies itself; modules ignore actions they do not know.
 */
@Export
@Version("1.3.0")
package io.chronofabric.api.clogic;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

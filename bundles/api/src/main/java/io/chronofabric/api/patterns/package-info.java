/**
 * Messaging patterns built on the bus and the ledger: request/reply with a responder whiteboard,
 * the record a replay from the ledger republishes, and an event store (event sourcing, CQRS) whose
 * appends are provable with the ledger's inclusion proofs, and a channel's recorded history as a
 * stream ({@link io.chronofabric.api.patterns.ChannelHistory}, since 1.1.0).
 *
 * <p><b>Request/reply wire convention.</b> A request is an ordinary packet on the request channel
 * carrying the caller's payload unchanged (recorders, tails and bridges see it as it is). A reply
 * is a packet on {@link io.chronofabric.api.patterns.RequestReply#REPLY_CHANNEL} whose
 * <em>first causal dependency</em> is the request's message id: that id is the correlation, and
 * the causal hold also guarantees a reply is never delivered before its request. Any bus client
 * can therefore answer without this package: subscribe the request channel and publish
 * {@code PhasePacket.builder(answer).channel(RequestReply.REPLY_CHANNEL).dependsOn(request.messageIdValue())}.
 *
 * <p><b>Across nodes.</b> Message ids are unique across a cluster and a bridged packet keeps its id
 * on every node ({@link io.chronofabric.api.bus.BusBridge}), so the convention works unchanged when
 * the request channel and {@link io.chronofabric.api.patterns.RequestReply#REPLY_CHANNEL} are
 * bridged: a responder on another node answers, and its reply correlates on the requester's node.
 */
@Export
@Version("1.2.0")
package io.chronofabric.api.patterns;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

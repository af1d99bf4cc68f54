/**
 * The bus across nodes: how payloads cross the wire. An application whose packets travel between
 * nodes registers a {@link io.chronofabric.api.network.PayloadCodec} service for each payload type
 * of its own (bytes, strings, numbers and booleans are built in); a packet whose payload has no
 * codec is refused at publish with an error naming its type and channel.
 */
@Export
@Version("1.0.0")
package io.chronofabric.api.network;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

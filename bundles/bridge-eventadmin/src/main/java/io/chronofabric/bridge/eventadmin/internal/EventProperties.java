package io.chronofabric.bridge.eventadmin.internal;

import org.osgi.service.event.EventConstants;

/** Names of the Event properties the bridge writes and reads. */
final class EventProperties {

    static final String CHANNEL = "cf.channel";
    /** Payload class name. */
    static final String TYPE = "cf.type";
    /** Priority name (LOW, NORMAL, HIGH, CRITICAL); inbound also accepts a level 0..3. */
    static final String PRIORITY = "cf.priority";
    /** HLC timestamp text, physical.logical@node. */
    static final String HLC = "cf.hlc";
    /** Message id text, node:sequence. */
    static final String MESSAGE_ID = "cf.msgid";
    /** The origin marker: the id of the bridge that posted the Event. */
    static final String ORIGIN = "cf.origin";
    static final String PAYLOAD = "payload";
    /** W3C trace context, copied from a Map payload that holds it. */
    static final String TRACEPARENT = "traceparent";
    /** Milliseconds since the epoch (the HLC's physical time). */
    static final String TIMESTAMP = EventConstants.TIMESTAMP;

    private EventProperties() {
    }
}

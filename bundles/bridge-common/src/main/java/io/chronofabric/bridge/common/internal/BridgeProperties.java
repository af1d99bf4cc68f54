package io.chronofabric.bridge.common.internal;

/**
 * Names of the properties (Event Admin) or data keys (Typed Events) the bridges write and read,
 * and the service property that marks a bridge's registrations.
 */
public final class BridgeProperties {

    /** Service property on a bridge's HealthIndicator and handlers: the bridge's name. */
    public static final String BRIDGE = "chronofabric.bridge";

    public static final String CHANNEL = "cf.channel";
    /** Payload class name. */
    public static final String TYPE = "cf.type";
    /** Priority name (LOW, NORMAL, HIGH, CRITICAL); inbound also accepts a level 0..3. */
    public static final String PRIORITY = "cf.priority";
    /** HLC timestamp text, physical.logical@node. */
    public static final String HLC = "cf.hlc";
    /** Message id text, node:sequence. */
    public static final String MESSAGE_ID = "cf.msgid";
    /** The origin marker: the id of the bridge that made the Event. */
    public static final String ORIGIN = "cf.origin";
    public static final String PAYLOAD = "payload";
    /** W3C trace context, copied from a Map payload that holds it. */
    public static final String TRACEPARENT = "traceparent";

    private BridgeProperties() {
    }
}

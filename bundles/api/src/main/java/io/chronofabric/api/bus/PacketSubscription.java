package io.chronofabric.api.bus;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type for a {@link PacketHandler} DS component:
 * <pre>
 * &#64;Component(service = PacketHandler.class)
 * &#64;PacketSubscription(type = "com.example.Reading", channel = "sensors")
 * public class ReadingLogger implements PacketHandler&lt;Reading&gt; { ... }
 * </pre>
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface PacketSubscription {

    String PREFIX_ = "chronofabric.bus.";

    /** {@value PacketHandler#TYPE}: the payload class name. */
    String type() default "java.lang.Object";

    /** {@value PacketHandler#CHANNEL}: the channel, empty for typed routing. */
    String channel() default "";

    /** {@value PacketHandler#COMPONENT_ID}: component id 0..63, or -1 for none. */
    int component_id() default -1;

    /**
     * {@value PacketHandler#DELIVERY}: {@value PacketHandler#DELIVERY_QUEUED} or
     * {@value PacketHandler#DELIVERY_SAME_THREAD} (see {@link PacketHandler}). @since 1.1
     */
    String delivery() default PacketHandler.DELIVERY_QUEUED;
}

package io.chronofabric.itests.subscriber;

import io.chronofabric.api.bus.PacketHandler;
import java.util.Hashtable;
import java.util.concurrent.Callable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Registers a {@link RecordingHandler} for the channel and under the name given in the bundle's headers. */
public class SubscriberActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        String channel = context.getBundle().getHeaders().get("X-Subscriber-Channel");
        String name = context.getBundle().getHeaders().get("X-Subscriber-Name");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(PacketHandler.CHANNEL, channel);
        props.put("itest.subscriber", name);
        context.registerService(new String[] {PacketHandler.class.getName(), Callable.class.getName()},
                new RecordingHandler(), props);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }
}

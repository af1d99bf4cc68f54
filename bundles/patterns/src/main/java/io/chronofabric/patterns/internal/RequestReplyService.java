package io.chronofabric.patterns.internal;

import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.patterns.RequestReply;
import java.time.Duration;
import java.util.Hashtable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RequestReply} service. Replies come in through a whiteboard {@link PacketHandler} on
 * {@link RequestReply#REPLY_CHANNEL}, so a restarted bus subscribes it again; the bus itself is an
 * optional, dynamic, greedy reference (none bound: requests fail at once with
 * {@link io.chronofabric.api.core.ServiceUnavailableException}). Timeouts run on one daemon timer
 * thread. A stop fails the pending requests.
 */
@Component(name = RequestReplyConfig.PID, configurationPid = RequestReplyConfig.PID, service = RequestReply.class, immediate = true)
@Designate(ocd = RequestReplyConfig.class)
public final class RequestReplyService implements RequestReply {

    private static final Logger LOG = LoggerFactory.getLogger(RequestReplyService.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventBus bus;

    private ScheduledThreadPoolExecutor timer;
    private RequestCorrelator correlator;
    private ServiceRegistration<?> replyHandler;
    private ServiceRegistration<?> echo;
    private String echoChannel = "";
    private BundleContext context;

    @Activate
    void activate(BundleContext context, RequestReplyConfig config) {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "chronofabric-request-timeouts");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        correlator = new RequestCorrelator(timer, maxPending(config));
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(PacketHandler.CHANNEL, REPLY_CHANNEL);
        props.put("chronofabric.patterns", "request-reply");
        RequestCorrelator c = correlator;
        replyHandler = context.registerService(PacketHandler.class, new PacketHandler<Object>() {
            @Override
            public void onPacket(PhasePacket<Object> packet) {
                c.onReply(packet);
            }

            @Override
            public String toString() {
                return "request/reply correlator";
            }
        }, props);
        this.context = context;
        applyEcho(config);
    }

    @Modified
    void modified(RequestReplyConfig config) {
        correlator.maxPending(maxPending(config));
        applyEcho(config);
    }

    /** (Re)registers the built-in echo responder when its channel changed. */
    private synchronized void applyEcho(RequestReplyConfig config) {
        String channel = config.echo_channel() == null ? "" : config.echo_channel().trim();
        if (!channel.isEmpty()) {
            try {
                Channels.requireValid(channel);
            } catch (IllegalArgumentException e) {
                LOG.error("Refused configuration {}: echo.channel: {}; no echo responder", RequestReplyConfig.PID, e.getMessage());
                channel = "";
            }
        }
        if (channel.equals(echoChannel) && (echo != null || channel.isEmpty())) {
            return;
        }
        unregisterEcho();
        echoChannel = channel;
        if (!channel.isEmpty()) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(io.chronofabric.api.patterns.Responder.CHANNEL, channel);
            echo = context.registerService(io.chronofabric.api.patterns.Responder.class, new EchoResponder(), props);
        }
    }

    private void unregisterEcho() {
        if (echo != null) {
            try {
                echo.unregister();
            } catch (IllegalStateException e) {
                // gone with the bundle
            }
            echo = null;
        }
    }

    /** Answers a request with its own payload. */
    static final class EchoResponder implements io.chronofabric.api.patterns.Responder<Object, Object> {
        @Override
        public Object respond(PhasePacket<Object> request) {
            return request.payload();
        }

        @Override
        public String toString() {
            return "echo responder";
        }
    }

    private static int maxPending(RequestReplyConfig config) {
        int max = config.max_pending();
        if (max < 1 || max > 1_000_000) {
            LOG.error("Refused configuration {}: max.pending={} is not in 1..1000000; using 10000", RequestReplyConfig.PID, max);
            return 10_000;
        }
        return max;
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            unregisterEcho();
        }
        try {
            replyHandler.unregister();
        } catch (IllegalStateException e) {
            // gone with the bundle
        }
        correlator.failAll("the request/reply service stopped");
        timer.shutdownNow();
    }

    @Override
    public <R> CompletionStage<PhasePacket<R>> request(String channel, Object payload, Duration timeout) {
        return correlator.request(bus, Channels.requireValid(channel), payload, null, timeout);
    }

    @Override
    public <R> CompletionStage<PhasePacket<R>> request(String channel, Object payload, Class<R> replyType, Duration timeout) {
        java.util.Objects.requireNonNull(replyType, "replyType");
        return correlator.request(bus, Channels.requireValid(channel), payload, replyType, timeout);
    }

    @Override
    public int pending() {
        return correlator.pending();
    }
}

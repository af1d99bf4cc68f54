package io.chronofabric.example.sensorpipeline.internal;

import io.chronofabric.api.bus.EventBusTx;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.PublishStatus;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.PatternKind;
import io.chronofabric.api.clogic.Sample;
import io.chronofabric.api.patterns.Responder;
import io.chronofabric.api.time.TimeSource;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * The sensor pipeline: a timer steps the {@link SensorModel} at {@code rate} times the current
 * factor and publishes each sensor's reading as a C-LOGIC {@link Sample} on the DRPP and EGC
 * channels (best effort: a full queue drops the sample, counted). {@link DecisionHandler} hands it
 * EGC's decisions (a watched spec's ALERT slows it down by {@code throttle.factor} until the
 * spec recovers) and {@link PatternHandler} DRPP's patterns (a CHANGEPOINT makes a sensor
 * suspect). It answers {@code status}, {@code rate} and {@code patterns} on
 * {@value #STATUS_CHANNEL} ({@code csf:request example.sensors.status status}). A configuration
 * change restarts the simulation (same seed, same samples) and keeps the slowdown EGC asked for.
 */
@Component(name = SensorPipelineConfig.PID, configurationPid = SensorPipelineConfig.PID, immediate = true,
        service = {SensorPublisher.class, Responder.class},
        property = {Responder.CHANNEL + "=" + SensorPublisher.STATUS_CHANNEL, Responder.TYPE + "=java.lang.String"})
@Designate(ocd = SensorPipelineConfig.class)
public final class SensorPublisher implements Responder<String, String> {

    static final String STATUS_CHANNEL = "example.sensors.status";

    private static final Logger LOG = LoggerFactory.getLogger(SensorPublisher.class);

    private final EventBusTx bus;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final ScheduledExecutorService timer;
    private volatile TimeSource time;

    // guarded by this
    private SensorSettings settings;
    private SensorModel model;
    private Throttle throttle;
    private PatternWatch patterns;
    private ScheduledFuture<?> task;
    private double periodSeconds;

    @Activate
    public SensorPublisher(@Reference EventBusTx bus, SensorPipelineConfig config) {
        this.bus = bus;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "chronofabric-example-sensors");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        timer = t;
        try {
            configure(SensorSettings.of(config));
        } catch (RuntimeException e) {
            t.shutdownNow();
            throw e;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindTime(TimeSource t) {
        time = t;
    }

    void unbindTime(TimeSource t) {
        if (time == t) {
            time = null;
        }
    }

    @Modified
    void modified(SensorPipelineConfig config) {
        try {
            configure(SensorSettings.of(config));
        } catch (IllegalArgumentException e) {
            LOG.error("Configuration refused, the sensors keep their previous settings: {}", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    private synchronized void configure(SensorSettings s) {
        settings = s;
        model = new SensorModel(s);
        throttle = throttle == null ? new Throttle(s.module(), s.watchedSpecs(), s.throttleFactor())
                : throttle.reconfigured(s.module(), s.watchedSpecs(), s.throttleFactor());
        patterns = new PatternWatch(new HashSet<>(s.sensors()));
        reschedule();
        LOG.info("Sensors {} at {} samples/s each ({}), on {} and {}{}", s.sensors(), format(effectiveRate()),
                throttle.throttled() ? "slowed down by EGC" : "full rate", s.drppChannel().isEmpty() ? "-" : s.drppChannel(),
                s.egcChannel().isEmpty() ? "-" : s.egcChannel(),
                s.driftSensor().isEmpty() ? "" : "; " + s.driftSensor() + " drifts by " + s.driftPerSecond() + "/s");
    }

    /** Samples per second of each sensor now. */
    synchronized double effectiveRate() {
        return settings.rate() * throttle.factor();
    }

    private void reschedule() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        if (!settings.enabled()) {
            return;
        }
        double rate = effectiveRate();
        periodSeconds = 1 / rate;
        long periodNanos = Math.max(1_000_000L, Math.round(1e9 / rate));
        SensorModel m = model;
        task = timer.scheduleAtFixedRate(() -> tick(m), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    /** One step now, as the timer does (tests). */
    void tick() {
        SensorModel m;
        synchronized (this) {
            m = model;
        }
        tick(m);
    }

    /** One step of the simulation: a sample of every sensor on each channel. Timer thread only. */
    private void tick(SensorModel m) {
        try {
            SensorSettings s;
            double dt;
            synchronized (this) {
                if (m != model) {
                    return; // replaced by a reconfiguration
                }
                s = settings;
                dt = periodSeconds;
            }
            double[] values = m.step(dt);
            TimeSource t = time;
            long now = t != null ? t.nowNanos() : System.nanoTime();
            List<String> names = m.sensors();
            for (int i = 0; i < values.length; i++) {
                Sample sample = new Sample(names.get(i), values[i], Math.max(0, now));
                publish(sample, s.drppChannel());
                publish(sample, s.egcChannel());
            }
        } catch (RuntimeException e) {
            LOG.warn("Sensor step failed: {}", e.toString());
        }
    }

    private void publish(Sample sample, String channel) {
        if (channel.isEmpty()) {
            return;
        }
        PublishStatus status = bus.tryPublish(PhasePacket.builder(sample).channel(channel).build());
        if (status == PublishStatus.ACCEPTED) {
            published.incrementAndGet();
        } else {
            dropped.incrementAndGet();
        }
    }

    /** An EGC decision (from {@link DecisionHandler}). */
    synchronized void govern(GovernanceDecision d) {
        if (throttle.apply(d)) {
            LOG.info("EGC decision {} {}: sensors now at {} samples/s each{}", d.action(), d.value(), format(effectiveRate()),
                    throttle.throttled() ? " (slowed down while " + throttle.alerting() + " alert)" : "");
            reschedule();
        }
    }

    /** A DRPP pattern (from {@link PatternHandler}). */
    synchronized void onPattern(PatternEvent e) {
        java.util.Set<String> before = patterns.suspects().keySet();
        if (patterns.accept(e) && e.kind() == PatternKind.CHANGEPOINT && !before.containsAll(patterns.suspects().keySet())) {
            LOG.info("DRPP saw a sensor change, now suspect: {}", PatternWatch.describe(e));
        }
    }

    @Override
    public String respond(PhasePacket<String> request) {
        return answer(request.payload());
    }

    /** {@code status}, {@code rate} or {@code patterns}. */
    synchronized String answer(String request) {
        String r = request == null ? "" : request.strip();
        switch (r) {
            case "rate":
                return format(effectiveRate());
            case "patterns": {
                StringJoiner j = new StringJoiner("\n");
                patterns.recent().forEach(j::add);
                return j.length() == 0 ? "No DRPP pattern about the sensors yet" : j.toString();
            }
            case "status":
                return status();
            default:
                throw new IllegalArgumentException("Request '" + request + "' is not status, rate or patterns");
        }
    }

    private String status() {
        SensorSettings s = settings;
        StringJoiner out = new StringJoiner("\n");
        out.add("Sensors " + String.join(", ", s.sensors()) + ": " + (s.enabled() ? format(effectiveRate()) + " samples/s each" : "disabled")
                + " (configured " + format(s.rate()) + ", factor " + format(throttle.factor()) + "), simulated "
                + format(model.seconds()) + " s, published " + published.get() + ", dropped " + dropped.get());
        out.add(throttle.throttled() ? "Slowed down by EGC: " + String.join(", ", throttle.alerting()) + " violated"
                : "Full rate: no watched EGC spec " + (s.watchedSpecs().isEmpty() ? "(any)" : s.watchedSpecs().toString()) + " alerting");
        out.add("Last EGC decision: " + throttle.lastDecision());
        StringJoiner counts = new StringJoiner(", ");
        patterns.counts().forEach((k, v) -> counts.add(k + " " + v));
        out.add("DRPP patterns: " + (counts.length() == 0 ? "none yet" : counts.toString()));
        StringJoiner freq = new StringJoiner(", ");
        patterns.dominantFrequencies().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> freq.add(e.getKey() + " " + String.format(Locale.ROOT, "%.4g", e.getValue())));
        if (freq.length() > 0) {
            out.add("DRPP resonance (frequency in DRPP's units): " + freq);
        }
        StringJoiner sus = new StringJoiner(", ");
        new java.util.TreeMap<>(patterns.suspects()).forEach((k, v) -> sus.add(k + ": " + v));
        out.add("Suspect sensors: " + (sus.length() == 0 ? "none" : sus.toString()));
        return out.toString();
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    @Override
    public String toString() {
        return "SensorPublisher[" + STATUS_CHANNEL + "]";
    }
}

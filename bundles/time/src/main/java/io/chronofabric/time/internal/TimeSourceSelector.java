package io.chronofabric.time.internal;

import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enables exactly one TimeSource component according to {@code source} in
 * {@code io.chronofabric.time}. On a switch the new source is enabled before the old one is
 * disabled, so dynamic greedy consumers always have a source to rebind to.
 */
@Component(name = "io.chronofabric.time.selector", immediate = true, service = {},
        configurationPid = TimeConfig.PID)
@Designate(ocd = TimeConfig.class)
public final class TimeSourceSelector {

    private static final Logger LOG = LoggerFactory.getLogger(TimeSourceSelector.class);

    private ComponentContext context;
    private String active;

    @Activate
    void activate(ComponentContext ctx, TimeConfig config, Map<String, Object> raw) {
        this.context = ctx;
        apply(config, raw);
    }

    @Modified
    void modified(TimeConfig config, Map<String, Object> raw) {
        apply(config, raw);
    }

    @Deactivate
    void deactivate() {
        // SCR disables the bundle's components itself when the bundle stops.
        active = null;
    }

    private synchronized void apply(TimeConfig config, Map<String, Object> raw) {
        String wanted;
        try {
            wanted = componentFor(config.source());
        } catch (IllegalArgumentException e) {
            String keep = active == null ? SystemTimeSource.KIND + " (default)" : kindOf(active);
            LOG.error("Refused configuration {}: {}; keeping time source {}", TimeConfig.PID, e.getMessage(), keep);
            wanted = active == null ? SystemTimeSource.NAME : active;
        }
        if (wanted.equals(active)) {
            return;
        }
        String previous = active;
        context.enableComponent(wanted);
        if (previous != null) {
            context.disableComponent(previous);
            LOG.info("Time source switched from {} to {}", kindOf(previous), kindOf(wanted));
        }
        active = wanted;
    }

    static String componentFor(String source) {
        String s = source == null ? "" : source.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case SystemTimeSource.KIND -> SystemTimeSource.NAME;
            case SimulatedTimeSourceImpl.KIND -> SimulatedTimeSourceImpl.NAME;
            default -> throw new IllegalArgumentException(
                    "source=" + source + " is not a known time source (expected system or simulated)");
        };
    }

    private static String kindOf(String componentName) {
        return componentName.equals(SystemTimeSource.NAME) ? SystemTimeSource.KIND : SimulatedTimeSourceImpl.KIND;
    }
}

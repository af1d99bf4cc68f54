package io.chronofabric.shell.internal;

import io.chronofabric.api.bus.ChannelLimit;
import io.chronofabric.api.bus.ChannelThrottle;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** Sets or clears a bus channel's rate limit. */
@Service
@Command(scope = "csf", name = "throttle", description = "Limits a bus channel to RATE packets/s with a burst (beyond it: tryPublish answers THROTTLED,"
        + " a guaranteed publish waits for its turn within its timeout or is refused, a best-effort publish is dropped and counted); --clear lifts it.")
public class ThrottleCommand implements Action {

    @Argument(index = 0, name = "channel", required = true, description = "The channel to limit (or, with --clear, to lift).")
    @Completion(ChannelCompleter.class)
    String channel;

    @Argument(index = 1, name = "rate", description = "Packets per second, at least 0.001 (e.g. 100 or 100/s or 0.5); not with --clear.")
    String rate;

    @Option(name = "--burst", description = "Packets that may pass at once after a quiet period, 1..1000000; default one second's worth (ceil(rate)).")
    int burst;

    @Option(name = "--reason", description = "Why, shown by csf:throttles (default: console).")
    String reason = "console";

    @Option(name = "--clear", description = "Lift the channel's limit instead.")
    boolean clear;

    @Reference(optional = true)
    ChannelThrottle throttle;

    @Reference
    Session session;

    @Override
    public Object execute() {
        run(session.getConsole());
        return null;
    }

    void run(PrintStream out) {
        if (throttle == null) {
            out.println("No ChannelThrottle service is registered (is the chronofabric-bus feature started, at API bus 1.3 or later?)");
            return;
        }
        if (clear) {
            if (rate != null) {
                throw new IllegalArgumentException("--clear takes only the channel, not a rate ('" + rate + "')");
            }
            out.println(throttle.clear(channel).map(l -> "Lifted the limit of channel " + channel + " (" + describe(l) + ")")
                    .orElse("Channel " + channel + " had no limit"));
            return;
        }
        if (rate == null) {
            throw new IllegalArgumentException("csf:throttle " + channel + " needs a rate in packets/s (e.g. csf:throttle " + channel
                    + " 100), or --clear");
        }
        double r = parseRate(rate);
        int b = burst != 0 ? burst : defaultBurst(r);
        ChannelLimit l = throttle.limit(channel, r, b, reason == null ? "" : reason);
        out.println("Channel " + channel + " limited to " + rate(l.packetsPerSecond()) + " packets/s, burst " + l.burst()
                + (l.reason().isEmpty() ? "" : " (" + l.reason() + ")"));
    }

    /** {@code 100}, {@code 100/s}, {@code 0.5}. */
    static double parseRate(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("/s")) {
            t = t.substring(0, t.length() - 2).trim();
        }
        double r;
        try {
            r = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rate '" + text + "' is not a number of packets per second (e.g. 100 or 100/s)");
        }
        if (!(r > 0) || Double.isInfinite(r)) {
            throw new IllegalArgumentException("rate '" + text + "' must be > 0 packets per second (to lift a limit: csf:throttle --clear CHANNEL)");
        }
        return r;
    }

    /** One second's worth of packets, 1..1,000,000 (as EGC's THROTTLE rules). */
    static int defaultBurst(double rate) {
        return (int) Math.max(1, Math.min(ChannelThrottle.MAX_BURST, Math.ceil(rate)));
    }

    static String rate(double r) {
        return r == Math.rint(r) && r < 1e15 ? Long.toString((long) r)
                : java.math.BigDecimal.valueOf(r).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    static String describe(ChannelLimit l) {
        return rate(l.packetsPerSecond()) + " packets/s, burst " + l.burst() + "; " + l.admitted() + " admitted, " + l.delayed() + " delayed, "
                + l.refused() + " refused";
    }
}

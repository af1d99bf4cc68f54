package io.chronofabric.clogic.drpp.internal;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** The streams DRPP follows and its TE pairs. */
@Service
@Command(scope = "csf", name = "drpp-streams", description = "The streams DRPP follows (samples, level, dominant frequency, changepoints), its TE pairs and the Kuramoto coherence.")
public class DrppStreamsCommand implements Action {

    @Reference(optional = true)
    DrppComponent drpp;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream out = session.getConsole();
        DrppEngine e = drpp == null ? null : drpp.engine();
        if (e == null) {
            out.println(drpp == null ? "DRPP is not running (is the chronofabric-clogic-drpp feature installed?)"
                    : "DRPP has no valid configuration: " + drpp.health().details());
            return null;
        }
        out.println(drpp.state().activity());
        out.println(String.format(Locale.ROOT, "%-24s %10s %12s %12s %12s %10s %8s", "stream", "samples", "mean", "sd", "dominant Hz", "snr",
                "changes"));
        for (StreamState st : e.streams()) {
            out.println(String.format(Locale.ROOT, "%-24s %10d %12.5g %12.5g %12s %10s %8d", st.name, st.samples, st.level(), st.spread(),
                    Double.isFinite(st.dominantFrequency) ? String.format(Locale.ROOT, "%.5g", st.dominantFrequency) : "-",
                    Double.isFinite(st.dominantFrequency) ? String.format(Locale.ROOT, "%.3g", st.dominantSnr) : "-", st.changepoints));
        }
        if (!e.pairs().isEmpty()) {
            DrppSettings s = e.settings();
            out.println(String.format(Locale.ROOT, "%-32s %12s %12s %10s %8s", "pair", "TE bits", "KSG nats", "KSG p", "KSG runs"));
            for (PairState p : e.pairs()) {
                out.println(String.format(Locale.ROOT, "%-32s %12s %12s %10s %8d", p.pair, fmt(p.lastBits), fmt(p.lastNats), fmt(p.lastP), p.ksgRuns));
            }
            out.println(String.format(Locale.ROOT, "discrete: k=%d l=%d bins=%d over %d observations; KSG: K=%d over %d samples every %d",
                    s.teK, s.teL, s.teBins, s.teWindow, s.ksgNeighbours, s.ksgWindow, s.ksgPeriod));
        }
        out.println(String.format(Locale.ROOT, "Kuramoto: %d oscillators, K=%s, r=%s; sensitivity factor %.2f (activation %.2f); analyses %s; rates %s",
                e.oscillatorCount, e.settings().coupling, fmt(e.orderParameter), e.factor(), e.activation(), e.switches(), e.rates()));
        out.println(String.format(Locale.ROOT, "skipped %d (non-numeric %d, beyond max.streams %d)", e.skipped.get(), drpp.nonNumeric(),
                e.tooManyStreams.get()));
        return null;
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "-";
    }
}

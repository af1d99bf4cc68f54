package io.chronofabric.shell.internal;

import io.chronofabric.api.clogic.AffectModule;
import io.chronofabric.api.clogic.AffectState;
import io.chronofabric.api.clogic.AppraisalEvent;
import io.chronofabric.api.clogic.Modulation;
import io.chronofabric.api.clogic.Pad;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;

/** Shows an EMS agent's emotions, PAD state, mood and goals. */
@Service
@Command(scope = "csf", name = "ems-state", description = "Shows an EMS agent's active emotions, GAMYGDALA PAD state, ALMA mood, default mood, goals and the last modulation published.")
public class EmsStateCommand implements Action {

    @Argument(index = 0, name = "agent", required = false, description = "The agent (default self).")
    String agent = AppraisalEvent.SELF;

    @Option(name = "-a", aliases = "--all", description = "Show every agent.")
    boolean all;

    @Reference(optional = true)
    AffectModule ems;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        PrintStream out = session.getConsole();
        if (ems == null) {
            out.println("No EMS module is registered (is the chronofabric-clogic-ems feature installed and started?)");
            return null;
        }
        if (all) {
            for (String a : ems.agents()) {
                print(out, a);
                out.println();
            }
        } else {
            print(out, agent);
        }
        Modulation m = ems.lastModulation();
        out.println("Last modulation: " + (m == null ? "none published yet"
                : m.dominantEmotion() + String.format(Locale.ROOT, " %.3f", m.intensity()) + " PAD " + m.pad() + " on " + String.join(",", ems.outputChannels())));
        return null;
    }

    private void print(PrintStream out, String name) {
        AffectState s = ems.affect(name);
        out.println("Agent " + s.agent() + ": dominant " + s.dominantEmotion() + String.format(Locale.ROOT, " (%.3f after the gain limiter)", s.intensity()));
        ShellTable t = new ShellTable();
        t.column("Emotion");
        t.column("Intensity").alignRight();
        for (Map.Entry<String, Double> e : s.emotions().entrySet()) {
            t.addRow().addContent(e.getKey(), String.format(Locale.ROOT, "%.6f", e.getValue()));
        }
        if (s.emotions().isEmpty()) {
            out.println("No active emotion.");
        } else {
            t.print(out);
        }
        out.println("Emotion PAD  " + pad(s.emotionPad()));
        out.println("Mood         " + pad(s.mood()) + "  " + s.mood().octant());
        out.println("Default mood " + pad(s.defaultMood()));
        StringBuilder goals = new StringBuilder();
        ems.goals(name).forEach((g, l) -> goals.append(goals.length() == 0 ? "" : ", ").append(g).append(String.format(Locale.ROOT, "=%.3f", l)));
        out.println("Goals (likelihood) " + (goals.length() == 0 ? "none" : goals));
    }

    private static String pad(Pad p) {
        return String.format(Locale.ROOT, "P %.6f  A %.6f  D %.6f", p.pleasure(), p.arousal(), p.dominance());
    }
}

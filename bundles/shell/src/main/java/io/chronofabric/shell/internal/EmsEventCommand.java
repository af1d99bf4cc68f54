package io.chronofabric.shell.internal;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.clogic.AffectModule;
import io.chronofabric.api.clogic.AffectState;
import io.chronofabric.api.clogic.AppraisalEvent;
import io.chronofabric.api.clogic.ClogicChannels;
import io.chronofabric.api.core.ComponentId;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** Appraises one event in EMS, directly or through the bus. */
@Service
@Command(scope = "csf", name = "ems-event", description = "Appraises an event against an EMS goal: the goal's likelihood changes by <likelihood-delta> and the event is worth <utility> to it.")
public class EmsEventCommand implements Action {

    @Argument(index = 0, name = "goal", required = true, description = "A configured goal (csf:ems-state lists them).")
    String goal;

    @Argument(index = 1, name = "utility", required = true, description = "How good (> 0) or bad (< 0) the event is for the goal, -1..1.")
    double utility;

    @Argument(index = 2, name = "likelihood-delta", required = true, description = "Change of the goal's likelihood, -1..1 (the likelihood stays in 0..1).")
    double likelihoodDelta;

    @Option(name = "--agent", description = "The agent whose goal it is (default self).")
    String agent = AppraisalEvent.SELF;

    @Option(name = "--cause", description = "The agent that caused the event (gratitude/anger, gratification/remorse).")
    String cause = "";

    @Option(name = "--bus", description = "Publish the event on the bus (channel ems.input, or --channel) instead of appraising it directly.")
    boolean viaBus;

    @Option(name = "--channel", description = "Channel for --bus (default ems.input).")
    String channel = ClogicChannels.EMS_INPUT;

    @Reference(optional = true)
    AffectModule ems;

    @Reference(optional = true)
    EventBus bus;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        PrintStream out = session.getConsole();
        AppraisalEvent event = new AppraisalEvent(agent, goal, utility, likelihoodDelta, cause, 0);
        if (viaBus) {
            if (bus == null) {
                out.println("No EventBus service is registered (is the chronofabric-bus feature installed and started?)");
                return null;
            }
            long id = bus.publish(PhasePacket.builder(event).channel(channel).source(ComponentId.SYSTEM).build());
            out.println("Published " + event + " on " + channel + " as message " + id);
            return null;
        }
        if (ems == null) {
            out.println("No EMS module is registered (is the chronofabric-clogic-ems feature installed and started?)");
            return null;
        }
        double before = ems.goals(agent).getOrDefault(goal, Double.NaN);
        AffectState s = ems.appraise(event);
        double after = ems.goals(agent).getOrDefault(goal, Double.NaN);
        out.println(String.format(Locale.ROOT, "Goal %s of %s: likelihood %.3f -> %.3f", goal, agent, before, after));
        StringBuilder emotions = new StringBuilder();
        s.emotions().forEach((k, v) -> emotions.append(emotions.length() == 0 ? "" : ", ").append(k).append(String.format(Locale.ROOT, " %.6f", v)));
        out.println("Emotions: " + (emotions.length() == 0 ? "none" : emotions));
        out.println("Emotion PAD " + s.emotionPad() + ", mood " + s.mood() + " " + s.mood().octant());
        return null;
    }
}

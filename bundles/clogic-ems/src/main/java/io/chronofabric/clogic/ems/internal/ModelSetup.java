package io.chronofabric.clogic.ems.internal;

import io.chronofabric.api.clogic.AppraisalEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configured agents, goals and relations, parsed and validated as a whole before any of it
 * reaches the model (a bad entry leaves the model as it was). Messages name the key and entry.
 */
record ModelSetup(Map<String, Personality> agents, Map<String, Map<String, Double>> goals, List<String[]> relations, EmsSettings settings) {

    static ModelSetup from(EmsConfig c) {
        Map<String, Personality> agents = new LinkedHashMap<>();
        agents.put(AppraisalEvent.SELF, Personality.NEUTRAL);
        for (String e : entries(c.agents())) {
            int eq = e.indexOf('=');
            String name = (eq < 0 ? e : e.substring(0, eq)).trim();
            checkName("agents", e, name);
            try {
                agents.put(name, eq < 0 ? Personality.NEUTRAL : Personality.parse(e.substring(eq + 1)));
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException("agents: '" + e + "': " + x.getMessage(), x);
            }
        }
        Map<String, Map<String, Double>> goals = new LinkedHashMap<>();
        for (String e : entries(c.goals())) {
            int eq = e.indexOf('=');
            String left = (eq < 0 ? e : e.substring(0, eq)).trim();
            int colon = left.indexOf(':');
            String agent = colon < 0 ? AppraisalEvent.SELF : left.substring(0, colon).trim();
            String goal = colon < 0 ? left : left.substring(colon + 1).trim();
            checkName("goals", e, goal);
            if (!agents.containsKey(agent)) {
                throw new IllegalArgumentException("goals: '" + e + "': agent '" + agent + "' is not in agents " + agents.keySet());
            }
            double l = 0.5;
            if (eq >= 0) {
                l = number("goals", e, e.substring(eq + 1));
                if (!(l >= 0 && l <= 1)) {
                    throw new IllegalArgumentException("goals: '" + e + "': likelihood " + l + " is outside [0, 1]");
                }
            }
            goals.computeIfAbsent(agent, a -> new LinkedHashMap<>()).put(goal, l);
        }
        List<String[]> relations = new ArrayList<>();
        for (String e : entries(c.relations())) {
            int gt = e.indexOf('>');
            int eq = e.indexOf('=');
            if (gt <= 0 || eq < gt) {
                throw new IllegalArgumentException("relations: '" + e + "' is not FROM>TO=LIKE");
            }
            String from = e.substring(0, gt).trim();
            String to = e.substring(gt + 1, eq).trim();
            double like = number("relations", e, e.substring(eq + 1));
            if (!agents.containsKey(from)) {
                throw new IllegalArgumentException("relations: '" + e + "': agent '" + from + "' is not in agents " + agents.keySet());
            }
            checkName("relations", e, to);
            if (!(like >= -1 && like <= 1)) {
                throw new IllegalArgumentException("relations: '" + e + "': like " + like + " is outside [-1, 1]");
            }
            relations.add(new String[] {from, to, Double.toString(like)});
        }
        EmsSettings settings;
        try {
            settings = new EmsSettings(c.decay_factor(), c.gain(), c.min_intensity(), EmotionKind.PadTable.parse(c.pad_table()), c.mood_rate(),
                    c.mood_return_seconds(), c.contagion_enabled(), c.contagion_expressiveness(), c.contagion_channel(),
                    c.contagion_openness(), c.contagion_amplification(), c.contagion_bias());
        } catch (IllegalArgumentException x) {
            throw new IllegalArgumentException(x.getMessage(), x);
        }
        return new ModelSetup(agents, goals, relations, settings);
    }

    /** Brings the model in line: adds/updates agents and goals, removes unconfigured ones, sets relations. */
    void applyTo(AffectEngine engine) {
        engine.settings(settings);
        agents.forEach(engine::agent);
        engine.retainAgents(agents.keySet());
        for (String agent : agents.keySet()) {
            Map<String, Double> g = goals.getOrDefault(agent, Map.of());
            g.forEach((goal, l) -> engine.goal(agent, goal, l));
            engine.retainGoals(agent, g.keySet());
        }
        for (String[] r : relations) {
            engine.relation(r[0], r[1], Double.parseDouble(r[2]));
        }
    }

    int goalCount() {
        return goals.values().stream().mapToInt(Map::size).sum();
    }

    static Set<String> entries(String[] values) {
        Set<String> out = new LinkedHashSet<>();
        if (values != null) {
            for (String v : values) {
                if (v == null) {
                    continue;
                }
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.trim());
                    }
                }
            }
        }
        return out;
    }

    private static void checkName(String key, String entry, String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException(key + ": '" + entry + "': the name is empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (Character.isWhitespace(ch) || Character.isISOControl(ch) || ch == ':' || ch == '=' || ch == '>') {
                throw new IllegalArgumentException(key + ": '" + entry + "': name '" + name + "' contains '" + ch + "'");
            }
        }
    }

    private static double number(String key, String entry, String text) {
        try {
            double v = Double.parseDouble(text.trim());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException x) {
            throw new IllegalArgumentException(key + ": '" + entry + "': '" + text.trim() + "' is not a finite number");
        }
    }
}

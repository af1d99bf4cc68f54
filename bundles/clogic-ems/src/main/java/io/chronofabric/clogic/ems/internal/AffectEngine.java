package io.chronofabric.clogic.ems.internal;

import io.chronofabric.api.clogic.AffectState;
import io.chronofabric.api.clogic.Modulation;
import io.chronofabric.api.clogic.Pad;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The EMS model: GAMYGDALA appraisal (Popescu, Broekens and van Someren 2014) of events against
 * goals into OCC emotions, exponential decay per second, a gain limiter, ALMA mood in PAD space
 * (Gebhard 2005) with a default mood from personality (Mehrabian 1996), and emotion contagion
 * between agents (Bosse et al. 2009/2015). Time is whatever the caller passes (time-source
 * nanoseconds), so a simulated clock drives it in tests.
 *
 * <p>Not thread-safe: the component calls it under one lock. {@link #appraise} allocates nothing
 * once the agents and goals exist.
 */
final class AffectEngine {

    static final double NANOS_PER_SECOND = 1e9;
    /** Mood and contagion are integrated in steps of at most this, and at most {@link #MAX_STEPS} steps per advance. */
    static final double STEP_SECONDS = 0.1;
    static final int MAX_STEPS = 50;
    /** Mood and contagion are integrated once at least this much time has gathered. */
    static final double SLOW_MIN_SECONDS = 0.001;
    private static final int K = EmotionKind.ALL.length;

    static final class Goal {
        final String name;
        double likelihood;

        Goal(String name, double likelihood) {
            this.name = name;
            this.likelihood = likelihood;
        }
    }

    static final class Agent {
        final String name;
        Personality personality;
        final double[] defaultMood = new double[3];
        final double[] mood = new double[3];
        final double[] intensity = new double[K];
        final Map<String, Goal> goals = new LinkedHashMap<>();
        /** How much this agent likes others, [-1, 1]. */
        final Map<String, Double> like = new LinkedHashMap<>();

        Agent(String name, Personality personality) {
            this.name = name;
            setPersonality(personality);
            System.arraycopy(defaultMood, 0, mood, 0, 3);
        }

        void setPersonality(Personality p) {
            personality = p;
            Pad d = p.defaultMood();
            defaultMood[0] = d.pleasure();
            defaultMood[1] = d.arousal();
            defaultMood[2] = d.dominance();
        }
    }

    private EmsSettings settings;
    private final Map<String, Agent> agents = new LinkedHashMap<>();
    private Agent[] agentArray = new Agent[0];
    private double[][] contagionBuffer = new double[0][0];
    private long lastNanos = -1;
    /** Time not yet integrated into mood and contagion (decay is always up to date). */
    private double slowPending;
    private long appraisals;

    AffectEngine(EmsSettings settings) {
        this.settings = settings;
        this.view = new PadTableView(settings.padTable());
    }

    EmsSettings settings() {
        return settings;
    }

    void settings(EmsSettings s) {
        settings = s;
        view = new PadTableView(s.padTable());
    }

    // ---------------------------------------------------------------- agents, goals, relations

    /** Adds an agent, or gives an existing one a new personality (its mood stays where it is). */
    void agent(String name, Personality personality) {
        Agent a = agents.get(name);
        if (a == null) {
            agents.put(name, new Agent(name, personality));
            agentArray = agents.values().toArray(new Agent[0]);
            contagionBuffer = new double[agentArray.length][K];
        } else {
            a.setPersonality(personality);
        }
    }

    /** Removes agents not in {@code keep}. */
    void retainAgents(Set<String> keep) {
        if (agents.keySet().retainAll(keep)) {
            agentArray = agents.values().toArray(new Agent[0]);
            contagionBuffer = new double[agentArray.length][K];
        }
    }

    /** Adds a goal with its starting likelihood; an existing goal keeps its current likelihood. */
    void goal(String agentName, String goal, double likelihood) {
        if (!(likelihood >= 0 && likelihood <= 1)) {
            throw new IllegalArgumentException("Likelihood " + likelihood + " of goal '" + goal + "' is outside [0, 1]");
        }
        agentOf(agentName).goals.computeIfAbsent(goal, g -> new Goal(g, likelihood));
    }

    /** Removes goals of {@code agentName} not in {@code keep}. */
    void retainGoals(String agentName, Set<String> keep) {
        Agent a = agents.get(agentName);
        if (a != null) {
            a.goals.keySet().retainAll(keep);
        }
    }

    /** {@code from} likes {@code to} this much, [-1, 1]. */
    void relation(String from, String to, double like) {
        if (!(like >= -1 && like <= 1)) {
            throw new IllegalArgumentException("Relation " + from + ">" + to + " " + like + " is outside [-1, 1]");
        }
        agentOf(from).like.put(to, like);
    }

    Set<String> agentNames() {
        return Set.copyOf(agents.keySet());
    }

    boolean hasAgent(String name) {
        return agents.containsKey(name);
    }

    Agent agentOf(String name) {
        Agent a = agents.get(name);
        if (a == null) {
            throw new IllegalArgumentException("Unknown agent '" + name + "': known agents are " + agents.keySet());
        }
        return a;
    }

    Map<String, Double> goals(String agentName) {
        Map<String, Double> m = new LinkedHashMap<>();
        agentOf(agentName).goals.values().forEach(g -> m.put(g.name, g.likelihood));
        return m;
    }

    long appraisals() {
        return appraisals;
    }

    long lastNanos() {
        return lastNanos;
    }

    // ---------------------------------------------------------------- appraisal (GAMYGDALA)

    /**
     * Appraises one event: the goal's likelihood moves by {@code likelihoodDelta} (kept in
     * [0, 1]), and the actual change {@code d} with the event's {@code utility} {@code u} gives
     * emotions of intensity |u d| for the owner, social emotions of |u d like| for agents that have
     * a relation with the owner, and attribution emotions when a causal agent is named.
     *
     * @return the actual change of the goal's likelihood
     * @throws IllegalArgumentException for an unknown agent or goal, NaN, or values outside [-1, 1]
     */
    double appraise(String agentName, String goalName, double utility, double likelihoodDelta, String causalAgent, long nowNanos) {
        if (!(utility >= -1 && utility <= 1)) {
            throw new IllegalArgumentException("Utility " + utility + " of goal '" + goalName + "' is outside [-1, 1]");
        }
        if (!(likelihoodDelta >= -1 && likelihoodDelta <= 1)) {
            throw new IllegalArgumentException("Likelihood change " + likelihoodDelta + " of goal '" + goalName + "' is outside [-1, 1]");
        }
        Agent owner = agentOf(agentName);
        Goal goal = owner.goals.get(goalName);
        if (goal == null) {
            throw new IllegalArgumentException("Unknown goal '" + goalName + "' of agent '" + agentName + "': known goals are "
                    + owner.goals.keySet());
        }
        advanceTo(nowNanos);
        appraisals++;
        double old = goal.likelihood;
        double now = Math.max(0, Math.min(1, old + likelihoodDelta));
        goal.likelihood = now;
        double d = now - old;
        if (d == 0 || utility == 0) {
            return d;
        }
        internalEmotions(owner, utility, d, now);
        double desirability = d * utility;
        boolean caused = causalAgent != null && !causalAgent.isEmpty();
        if (caused) {
            agentActions(owner, causalAgent, owner, desirability, utility, d);
        }
        for (Agent other : agentArray) {
            Double like = other.like.get(owner.name);
            if (like != null) {
                socialEmotion(other, utility, desirability, d, like);
                if (caused) {
                    agentActions(owner, causalAgent, other, desirability, utility, d);
                }
            }
        }
        return d;
    }

    /**
     * Hope and fear while the goal is uncertain; joy/distress when it is decided, with
     * satisfaction or fears-confirmed when it was already expected (|d| &lt; 0.5), disappointment or
     * relief when it was expected the other way (|d| &gt; 0.5). GAMYGDALA's reference code tests
     * {@code d > 0.5} at likelihood 0, which cannot hold (d &le; 0 there); we test |d|.
     */
    private void internalEmotions(Agent a, double utility, double d, double likelihood) {
        double intensity = Math.abs(utility * d);
        boolean positive = utility >= 0 ? d >= 0 : d < 0;
        if (likelihood > 0 && likelihood < 1) {
            add(a, positive ? EmotionKind.HOPE : EmotionKind.FEAR, intensity);
        } else if (likelihood == 1) {
            if (utility >= 0) {
                if (Math.abs(d) < 0.5) {
                    add(a, EmotionKind.SATISFACTION, intensity);
                }
                add(a, EmotionKind.JOY, intensity);
            } else {
                if (Math.abs(d) < 0.5) {
                    add(a, EmotionKind.FEARS_CONFIRMED, intensity);
                }
                add(a, EmotionKind.DISTRESS, intensity);
            }
        } else {
            if (utility >= 0) {
                if (Math.abs(d) > 0.5) {
                    add(a, EmotionKind.DISAPPOINTMENT, intensity);
                }
                add(a, EmotionKind.DISTRESS, intensity);
            } else {
                if (Math.abs(d) > 0.5) {
                    add(a, EmotionKind.RELIEF, intensity);
                }
                add(a, EmotionKind.JOY, intensity);
            }
        }
    }

    /** Happy-for, resentment, pity, gloating of {@code a} about an event for a goal of someone it relates to. */
    private void socialEmotion(Agent a, double utility, double desirability, double d, double like) {
        EmotionKind k = desirability >= 0 ? (like >= 0 ? EmotionKind.HAPPY_FOR : EmotionKind.RESENTMENT)
                : (like >= 0 ? EmotionKind.PITY : EmotionKind.GLOATING);
        add(a, k, Math.abs(utility * d * like));
    }

    /** Gratitude/anger towards the causal agent; gratification/remorse of a causal agent that likes the owner. */
    private void agentActions(Agent affected, String causal, Agent self, double desirability, double utility, double d) {
        if (affected == self && !self.name.equals(causal)) {
            add(self, desirability >= 0 ? EmotionKind.GRATITUDE : EmotionKind.ANGER, Math.abs(utility * d));
            if (!self.like.containsKey(causal)) {
                self.like.put(causal, 0.0);
            }
        } else if (affected != self && self.name.equals(causal)) {
            Double like = self.like.get(affected.name);
            if (like != null && like >= 0) {
                add(self, desirability >= 0 ? EmotionKind.GRATIFICATION : EmotionKind.REMORSE, Math.abs(utility * d * like));
            }
        }
    }

    /** Appraisals add to an emotion already felt (GAMYGDALA). */
    private static void add(Agent a, EmotionKind k, double intensity) {
        if (intensity > 0) {
            a.intensity[k.ordinal()] += intensity;
        }
    }

    /** Adds an emotion directly (tests, the console's what-if). */
    void feel(String agentName, EmotionKind k, double intensity, long nowNanos) {
        if (!(intensity >= 0 && Double.isFinite(intensity))) {
            throw new IllegalArgumentException("Emotion intensity " + intensity + " must be a finite number of at least 0");
        }
        advanceTo(nowNanos);
        add(agentOf(agentName), k, intensity);
    }

    // ---------------------------------------------------------------- time: decay, mood, contagion

    /** Takes {@code nowNanos} as the model's time without decaying (a new time source, a snapshot from the future). */
    void rebase(long nowNanos) {
        lastNanos = nowNanos;
    }

    /** Moves the model to {@code nowNanos}; earlier times are ignored (time never runs back here). */
    void advanceTo(long nowNanos) {
        if (lastNanos < 0) {
            lastNanos = nowNanos;
            return;
        }
        if (nowNanos <= lastNanos) {
            return;
        }
        double dt = (nowNanos - lastNanos) / NANOS_PER_SECOND;
        lastNanos = nowNanos;
        slowPending += dt;
        if (slowPending < SLOW_MIN_SECONDS) {
            // mood and contagion move on time scales of seconds: integrate them once a millisecond has
            // gathered; decay is exact at every advance
            decayAll(settings.decayFactor() == 1 ? 1 : Math.pow(settings.decayFactor(), dt));
            return;
        }
        double total = slowPending;
        slowPending = 0;
        int steps = (int) Math.min(MAX_STEPS, Math.max(1, Math.ceil(total / STEP_SECONDS)));
        double h = total / steps;
        double decay = settings.decayFactor() == 1 ? 1 : Math.pow(settings.decayFactor(), dt / steps);
        double back = 1 - Math.exp(-h / settings.moodReturnSeconds());
        boolean spread = settings.contagion() && agentArray.length > 1;
        for (int s = 0; s < steps; s++) {
            for (Agent a : agentArray) {
                moodStep(a, h, back);
            }
            if (spread) {
                contagionStep(h);
            }
            decayAll(decay);
        }
    }

    private void decayAll(double factor) {
        if (factor == 1) {
            return;
        }
        double min = settings.minIntensity();
        for (Agent a : agentArray) {
            double[] in = a.intensity;
            for (int k = 0; k < K; k++) {
                if (in[k] != 0) {
                    double v = in[k] * factor;
                    in[k] = v < min ? 0 : v;
                }
            }
        }
    }

    /**
     * ALMA: the active emotions' intensity-weighted PAD centroid (the virtual emotion centre)
     * pulls the mood towards it while the mood lies between the PAD origin and the centre, and
     * pushes it further into the centre's octant once it is at or beyond it; step length is
     * rate x mean intensity (at most 1) x time. Without active emotions the mood returns to the
     * default mood exponentially.
     */
    private void moodStep(Agent a, double h, double back) {
        PadTableView t = view;
        double sum = 0;
        double cp = 0;
        double ca = 0;
        double cd = 0;
        int n = 0;
        double[] in = a.intensity;
        for (int k = 0; k < K; k++) {
            double v = in[k];
            if (v > 0) {
                sum += v;
                n++;
                cp += v * t.p[k];
                ca += v * t.a[k];
                cd += v * t.d[k];
            }
        }
        double[] m = a.mood;
        if (n == 0) {
            for (int i = 0; i < 3; i++) {
                m[i] += (a.defaultMood[i] - m[i]) * back;
            }
            return;
        }
        cp /= sum;
        ca /= sum;
        cd /= sum;
        double cl = Math.sqrt(cp * cp + ca * ca + cd * cd);
        if (cl < 1e-12) {
            return;
        }
        double step = settings.moodRate() * Math.min(1, sum / n) * h;
        double proj = (m[0] * cp + m[1] * ca + m[2] * cd) / cl;
        if (proj < cl) {
            double vp = cp - m[0];
            double va = ca - m[1];
            double vd = cd - m[2];
            double dist = Math.sqrt(vp * vp + va * va + vd * vd);
            if (step < dist) {
                double f = step / dist;
                m[0] += vp * f;
                m[1] += va * f;
                m[2] += vd * f;
            } else {
                // reaches the centre within this step; the rest of the step pushes beyond it
                double rest = step - dist;
                m[0] = cp + cp / cl * rest;
                m[1] = ca + ca / cl * rest;
                m[2] = cd + cd / cl * rest;
            }
        } else {
            m[0] += cp / cl * step;
            m[1] += ca / cl * step;
            m[2] += cd / cl * step;
        }
        for (int i = 0; i < 3; i++) {
            m[i] = Math.max(-1, Math.min(1, m[i]));
        }
    }

    /**
     * Bosse et al.: for each emotion, q_A += gamma_A [eta (beta (1 - (1 - q*)(1 - q_A)) + (1 - beta) q* q_A)
     * + (1 - eta) q* - q_A] dt, with gamma_BA = epsilon_B alpha_BA delta_A, gamma_A the sum over the
     * other agents B and q* their gamma-weighted mean level (levels are intensities capped at 1).
     * Uniform parameters make gamma_A = (N - 1) epsilon alpha delta and q* the others' mean.
     */
    private void contagionStep(double h) {
        int n = agentArray.length;
        double gamma = (n - 1) * settings.expressiveness() * settings.channel() * settings.openness();
        double rate = Math.min(1, gamma * h);
        if (rate == 0) {
            return;
        }
        double eta = settings.amplification();
        double beta = settings.bias();
        for (int k = 0; k < K; k++) {
            double total = 0;
            for (Agent a : agentArray) {
                total += Math.min(1, a.intensity[k]);
            }
            if (total == 0) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                double q = Math.min(1, agentArray[i].intensity[k]);
                double qs = (total - q) / (n - 1);
                double target = eta * (beta * (1 - (1 - qs) * (1 - q)) + (1 - beta) * qs * q) + (1 - eta) * qs;
                contagionBuffer[i][k] = q + rate * (target - q) - q;
            }
            for (int i = 0; i < n; i++) {
                double[] in = agentArray[i].intensity;
                in[k] = Math.max(0, in[k] + contagionBuffer[i][k]);
            }
        }
    }

    // ---------------------------------------------------------------- reading the state

    private PadTableView view;

    /** The emotions' PAD vectors as arrays, for the loops above. */
    static final class PadTableView {
        final double[] p = new double[K];
        final double[] a = new double[K];
        final double[] d = new double[K];

        PadTableView(EmotionKind.PadTable table) {
            for (EmotionKind k : EmotionKind.ALL) {
                p[k.ordinal()] = k.pad(table, 0);
                a[k.ordinal()] = k.pad(table, 1);
                d[k.ordinal()] = k.pad(table, 2);
            }
        }
    }

    double intensity(String agentName, EmotionKind k) {
        return agentOf(agentName).intensity[k.ordinal()];
    }

    /** GAMYGDALA's PAD state: the sum over emotions of intensity x PAD vector (no gain), each axis clamped to [-1, 1]. */
    Pad emotionPad(String agentName) {
        Agent a = agentOf(agentName);
        double p = 0;
        double ar = 0;
        double d = 0;
        for (int k = 0; k < K; k++) {
            double v = a.intensity[k];
            if (v > 0) {
                p += v * view.p[k];
                ar += v * view.a[k];
                d += v * view.d[k];
            }
        }
        return Pad.clamped(p, ar, d);
    }

    Pad mood(String agentName) {
        double[] m = agentOf(agentName).mood;
        return Pad.clamped(m[0], m[1], m[2]);
    }

    Pad defaultMood(String agentName) {
        double[] m = agentOf(agentName).defaultMood;
        return Pad.clamped(m[0], m[1], m[2]);
    }

    /** The gain limiter g I / (g I + 1), in [0, 1). */
    double gained(double intensity) {
        double g = settings.gain() * intensity;
        return g / (g + 1);
    }

    /** The agent's state at {@code nowNanos} (the model advances to it first). */
    AffectState state(String agentName, long nowNanos) {
        advanceTo(nowNanos);
        Agent a = agentOf(agentName);
        List<EmotionKind> active = new ArrayList<>();
        for (EmotionKind k : EmotionKind.ALL) {
            if (a.intensity[k.ordinal()] > 0) {
                active.add(k);
            }
        }
        active.sort(Comparator.comparingDouble((EmotionKind k) -> -a.intensity[k.ordinal()]));
        Map<String, Double> emotions = new LinkedHashMap<>();
        active.forEach(k -> emotions.put(k.label, a.intensity[k.ordinal()]));
        String dominant = active.isEmpty() ? Modulation.NONE : active.get(0).label;
        double intensity = active.isEmpty() ? 0 : gained(a.intensity[active.get(0).ordinal()]);
        return new AffectState(a.name, emotions, emotionPad(agentName), mood(agentName), defaultMood(agentName), dominant, intensity,
                Math.max(0, lastNanos));
    }

    /** Whether any emotion is active or any mood is away from its default by more than {@code epsilon}. */
    boolean isActive(double epsilon) {
        for (Agent a : agentArray) {
            for (int k = 0; k < K; k++) {
                if (a.intensity[k] > 0) {
                    return true;
                }
            }
            for (int i = 0; i < 3; i++) {
                if (Math.abs(a.mood[i] - a.defaultMood[i]) > epsilon) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- snapshot

    static final String FORMAT = "1";

    /** The whole state as properties (format 1). */
    Properties snapshot() {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("time.nanos", Long.toString(lastNanos));
        p.setProperty("appraisals", Long.toString(appraisals));
        int i = 0;
        for (Agent a : agentArray) {
            String pre = "agent." + i + ".";
            p.setProperty(pre + "name", a.name);
            p.setProperty(pre + "mood", a.mood[0] + "," + a.mood[1] + "," + a.mood[2]);
            for (EmotionKind k : EmotionKind.ALL) {
                if (a.intensity[k.ordinal()] > 0) {
                    p.setProperty(pre + "emotion." + k.label, Double.toString(a.intensity[k.ordinal()]));
                }
            }
            int g = 0;
            for (Goal goal : a.goals.values()) {
                p.setProperty(pre + "goal." + g + ".name", goal.name);
                p.setProperty(pre + "goal." + g + ".likelihood", Double.toString(goal.likelihood));
                g++;
            }
            int r = 0;
            for (Map.Entry<String, Double> e : a.like.entrySet()) {
                p.setProperty(pre + "like." + r + ".agent", e.getKey());
                p.setProperty(pre + "like." + r + ".value", Double.toString(e.getValue()));
                r++;
            }
            i++;
        }
        return p;
    }

    /**
     * Restores what a snapshot holds for the agents and goals configured now (others are left out
     * and listed in the result); relations learnt at run time come back too.
     *
     * @throws IllegalArgumentException if the snapshot is of another format or does not parse
     */
    List<String> restore(Properties p) {
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new IllegalArgumentException("snapshot format '" + p.getProperty("format") + "' is not " + FORMAT);
        }
        List<String> skipped = new ArrayList<>();
        try {
            lastNanos = Long.parseLong(p.getProperty("time.nanos", "-1"));
            appraisals = Long.parseLong(p.getProperty("appraisals", "0"));
            for (int i = 0; p.getProperty("agent." + i + ".name") != null; i++) {
                String pre = "agent." + i + ".";
                String name = p.getProperty(pre + "name");
                Agent a = agents.get(name);
                if (a == null) {
                    skipped.add("agent " + name);
                    continue;
                }
                String[] m = p.getProperty(pre + "mood", "0,0,0").split(",");
                for (int j = 0; j < 3; j++) {
                    a.mood[j] = Math.max(-1, Math.min(1, finite(Double.parseDouble(m[j]), pre + "mood")));
                }
                Arrays.fill(a.intensity, 0);
                for (EmotionKind k : EmotionKind.ALL) {
                    String v = p.getProperty(pre + "emotion." + k.label);
                    if (v != null) {
                        a.intensity[k.ordinal()] = Math.max(0, finite(Double.parseDouble(v), pre + "emotion." + k.label));
                    }
                }
                for (int g = 0; p.getProperty(pre + "goal." + g + ".name") != null; g++) {
                    String goal = p.getProperty(pre + "goal." + g + ".name");
                    Goal known = a.goals.get(goal);
                    if (known == null) {
                        skipped.add("goal " + name + ":" + goal);
                        continue;
                    }
                    double l = finite(Double.parseDouble(p.getProperty(pre + "goal." + g + ".likelihood")), "likelihood of " + goal);
                    known.likelihood = Math.max(0, Math.min(1, l));
                }
                for (int r = 0; p.getProperty(pre + "like." + r + ".agent") != null; r++) {
                    double v = finite(Double.parseDouble(p.getProperty(pre + "like." + r + ".value")), "relation");
                    a.like.putIfAbsent(p.getProperty(pre + "like." + r + ".agent"), Math.max(-1, Math.min(1, v)));
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("snapshot does not parse: " + e, e);
        }
        return skipped;
    }

    private static double finite(double v, String what) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " is " + v);
        }
        return v;
    }
}

package io.chronofabric.api.clogic;

/**
 * A point in pleasure-arousal-dominance space (Mehrabian 1996), each axis in [-1, 1].
 *
 * @throws IllegalArgumentException naming the axis that is not finite or outside [-1, 1]
 */
public record Pad(double pleasure, double arousal, double dominance) {

    /** The centre of PAD space. */
    public static final Pad NEUTRAL = new Pad(0, 0, 0);

    public Pad {
        Checks.range("Pleasure", Checks.finite("Pleasure", pleasure), -1, 1);
        Checks.range("Arousal", Checks.finite("Arousal", arousal), -1, 1);
        Checks.range("Dominance", Checks.finite("Dominance", dominance), -1, 1);
    }

    /**
     * A PAD point with each axis clamped into [-1, 1].
     *
     * @throws IllegalArgumentException if an axis is NaN or infinite
     */
    public static Pad clamped(double pleasure, double arousal, double dominance) {
        return new Pad(clamp(Checks.finite("Pleasure", pleasure)), clamp(Checks.finite("Arousal", arousal)),
                clamp(Checks.finite("Dominance", dominance)));
    }

    private static double clamp(double v) {
        return Math.max(-1, Math.min(1, v));
    }

    /** Euclidean length (0 at the centre, at most &radic;3). */
    public double length() {
        return Math.sqrt(pleasure * pleasure + arousal * arousal + dominance * dominance);
    }

    /**
     * The mood octant name of ALMA (Gebhard 2005): exuberant (+P+A+D), bored (-P-A-D), dependent
     * (+P+A-D), disdainful (-P-A+D), relaxed (+P-A+D), anxious (-P+A-D), docile (+P-A-D), hostile
     * (-P+A+D); {@code neutral} at the centre.
     */
    public String octant() {
        if (pleasure == 0 && arousal == 0 && dominance == 0) {
            return "neutral";
        }
        boolean p = pleasure >= 0;
        boolean a = arousal >= 0;
        boolean d = dominance >= 0;
        if (p) {
            return a ? (d ? "exuberant" : "dependent") : (d ? "relaxed" : "docile");
        }
        return a ? (d ? "hostile" : "anxious") : (d ? "disdainful" : "bored");
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "(P %.3f, A %.3f, D %.3f)", pleasure, arousal, dominance);
    }
}

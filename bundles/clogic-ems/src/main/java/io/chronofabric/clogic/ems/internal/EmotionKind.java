package io.chronofabric.clogic.ems.internal;

import java.util.Locale;

/**
 * The emotions GAMYGDALA appraises (Popescu, Broekens and van Someren 2014: OCC emotions without
 * pride and shame) with two PAD mappings: GAMYGDALA's own table (its reference engine uses it for
 * the agent's PAD state) and ALMA's (Gebhard 2005, table of OCC emotions in PAD space).
 */
enum EmotionKind {
    //                 GAMYGDALA PAD            ALMA PAD
    HOPE("hope", 0.51, 0.23, 0.14, 0.2, 0.2, -0.1),
    FEAR("fear", -0.64, 0.60, -0.43, -0.64, 0.60, -0.43),
    JOY("joy", 0.76, 0.48, 0.35, 0.4, 0.2, 0.1),
    DISTRESS("distress", -0.61, 0.28, -0.36, -0.4, -0.2, -0.5),
    SATISFACTION("satisfaction", 0.87, 0.20, 0.62, 0.3, -0.2, 0.4),
    FEARS_CONFIRMED("fear-confirmed", -0.61, 0.06, -0.32, -0.5, -0.3, -0.7),
    DISAPPOINTMENT("disappointment", -0.61, -0.15, -0.29, -0.3, 0.1, -0.4),
    RELIEF("relief", 0.29, -0.19, -0.28, 0.2, -0.3, 0.4),
    HAPPY_FOR("happy-for", 0.64, 0.35, 0.25, 0.4, 0.2, 0.2),
    RESENTMENT("resentment", -0.35, 0.35, 0.29, -0.2, -0.3, -0.2),
    PITY("pity", -0.52, 0.02, -0.21, -0.4, -0.2, -0.5),
    GLOATING("gloating", -0.45, 0.48, 0.42, 0.3, -0.3, -0.1),
    GRATITUDE("gratitude", 0.64, 0.16, -0.21, 0.4, 0.2, -0.3),
    ANGER("anger", -0.51, 0.59, 0.25, -0.51, 0.59, 0.25),
    GRATIFICATION("gratification", 0.69, 0.57, 0.63, 0.6, 0.5, 0.4),
    REMORSE("remorse", -0.57, 0.28, -0.34, -0.3, 0.1, -0.6);

    static final EmotionKind[] ALL = values();

    final String label;
    private final double[] gamygdala;
    private final double[] alma;

    EmotionKind(String label, double gp, double ga, double gd, double ap, double aa, double ad) {
        this.label = label;
        this.gamygdala = new double[] {gp, ga, gd};
        this.alma = new double[] {ap, aa, ad};
    }

    /** PAD vector of this emotion in the given table (0 = pleasure, 1 = arousal, 2 = dominance). */
    double pad(PadTable table, int axis) {
        return table == PadTable.ALMA ? alma[axis] : gamygdala[axis];
    }

    /** @throws IllegalArgumentException naming the label and the known ones */
    static EmotionKind byLabel(String label) {
        String l = label.trim().toLowerCase(Locale.ROOT);
        for (EmotionKind k : ALL) {
            if (k.label.equals(l)) {
                return k;
            }
        }
        StringBuilder known = new StringBuilder();
        for (EmotionKind k : ALL) {
            known.append(known.length() == 0 ? "" : ", ").append(k.label);
        }
        throw new IllegalArgumentException("Unknown emotion '" + label + "': known emotions are " + known);
    }

    /** Which emotion-to-PAD mapping is used. */
    enum PadTable {
        /** GAMYGDALA's reference table (joy = (0.76, 0.48, 0.35)). */
        GAMYGDALA,
        /** ALMA's table (Gebhard 2005; joy = (0.4, 0.2, 0.1)). */
        ALMA;

        static PadTable parse(String text) {
            String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
            switch (t) {
                case "gamygdala":
                    return GAMYGDALA;
                case "alma":
                    return ALMA;
                default:
                    throw new IllegalArgumentException("pad.table '" + text + "' is not gamygdala or alma");
            }
        }
    }
}

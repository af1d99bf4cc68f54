package io.chronofabric.clogic.ems.internal;

import io.chronofabric.api.clogic.Pad;

/**
 * Big Five personality traits in [-1, 1] and the default mood ALMA (Gebhard 2005) derives from
 * them with Mehrabian's (1996) mapping:
 * P = 0.21 E + 0.59 A + 0.19 N, A = 0.15 O + 0.30 A - 0.57 N, D = 0.25 O + 0.17 C + 0.60 E - 0.32 A.
 * (Mehrabian's factor is emotional stability; ALMA prints it as N: we follow ALMA's formula.)
 */
record Personality(double openness, double conscientiousness, double extraversion, double agreeableness, double neuroticism) {

    static final Personality NEUTRAL = new Personality(0, 0, 0, 0, 0);

    Personality {
        check("openness", openness);
        check("conscientiousness", conscientiousness);
        check("extraversion", extraversion);
        check("agreeableness", agreeableness);
        check("neuroticism", neuroticism);
    }

    private static void check(String trait, double v) {
        if (!(v >= -1 && v <= 1)) {
            throw new IllegalArgumentException("Personality trait " + trait + " " + v + " is outside [-1, 1]");
        }
    }

    Pad defaultMood() {
        double p = 0.21 * extraversion + 0.59 * agreeableness + 0.19 * neuroticism;
        double a = 0.15 * openness + 0.30 * agreeableness - 0.57 * neuroticism;
        double d = 0.25 * openness + 0.17 * conscientiousness + 0.60 * extraversion - 0.32 * agreeableness;
        return Pad.clamped(p, a, d);
    }

    /**
     * Parses {@code O/C/E/A/N}, e.g. {@code 0.4/0.6/0.3/0.7/-0.2}.
     *
     * @throws IllegalArgumentException naming the text
     */
    static Personality parse(String text) {
        String[] parts = text.trim().split("/");
        if (parts.length != 5) {
            throw new IllegalArgumentException("Personality '" + text + "' is not O/C/E/A/N (five numbers in [-1, 1] separated by /)");
        }
        double[] v = new double[5];
        for (int i = 0; i < 5; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Personality '" + text + "': '" + parts[i] + "' is not a number");
            }
        }
        return new Personality(v[0], v[1], v[2], v[3], v[4]);
    }

    @Override
    public String toString() {
        return openness + "/" + conscientiousness + "/" + extraversion + "/" + agreeableness + "/" + neuroticism;
    }
}

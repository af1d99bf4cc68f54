package io.chronofabric.clogic.ems.internal;

import io.chronofabric.clogic.ems.internal.EmotionKind.PadTable;

/**
 * Validated model parameters; the constructor names the key and value of the first bad one.
 *
 * @param decayFactor        fraction of an emotion's intensity left after one second (GAMYGDALA exponential decay), (0, 1]
 * @param gain               gain of the limiter g*I/(g*I+1), (0, 20]
 * @param minIntensity       an emotion below this is dropped, [0, 0.5)
 * @param padTable           emotion-to-PAD mapping
 * @param moodRate           how far the mood moves per second towards/away from the emotion centre at intensity 1, [0, 10]
 * @param moodReturnSeconds  time constant of the mood's return to the default mood while no emotion is active, &gt; 0
 * @param contagion          whether emotions spread between agents
 * @param expressiveness     &epsilon; of every sender, [0, 1]
 * @param channel            &alpha; of every sender-receiver channel, [0, 1]
 * @param openness           &delta; of every receiver, [0, 1]
 * @param amplification      &eta; (weight of the amplifying/absorbing term), [0, 1]
 * @param bias               &beta; (1 = upward, 0 = downward), [0, 1]
 */
record EmsSettings(double decayFactor, double gain, double minIntensity, PadTable padTable, double moodRate, double moodReturnSeconds,
        boolean contagion, double expressiveness, double channel, double openness, double amplification, double bias) {

    static final EmsSettings DEFAULTS = new EmsSettings(0.8, 1.0, 0.001, PadTable.GAMYGDALA, 0.1, 400, true, 0.5, 1.0, 0.5, 0.5, 0.5);

    EmsSettings {
        if (!(decayFactor > 0 && decayFactor <= 1)) {
            throw new IllegalArgumentException("decay.factor " + decayFactor + " is outside (0, 1]");
        }
        if (!(gain > 0 && gain <= 20)) {
            throw new IllegalArgumentException("gain " + gain + " is outside (0, 20]");
        }
        if (!(minIntensity >= 0 && minIntensity < 0.5)) {
            throw new IllegalArgumentException("min.intensity " + minIntensity + " is outside [0, 0.5)");
        }
        if (padTable == null) {
            throw new IllegalArgumentException("pad.table is missing");
        }
        if (!(moodRate >= 0 && moodRate <= 10)) {
            throw new IllegalArgumentException("mood.rate " + moodRate + " is outside [0, 10]");
        }
        if (!(moodReturnSeconds > 0 && moodReturnSeconds < 1e9)) {
            throw new IllegalArgumentException("mood.return.seconds " + moodReturnSeconds + " must be above 0");
        }
        unit("contagion.expressiveness", expressiveness);
        unit("contagion.channel", channel);
        unit("contagion.openness", openness);
        unit("contagion.amplification", amplification);
        unit("contagion.bias", bias);
    }

    private static void unit(String key, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(key + " " + v + " is outside [0, 1]");
        }
    }

    EmsSettings withDecay(double factor) {
        return new EmsSettings(factor, gain, minIntensity, padTable, moodRate, moodReturnSeconds, contagion, expressiveness, channel,
                openness, amplification, bias);
    }
}

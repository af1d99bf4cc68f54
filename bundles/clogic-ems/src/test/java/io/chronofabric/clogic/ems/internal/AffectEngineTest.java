package io.chronofabric.clogic.ems.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chronofabric.api.clogic.AffectState;
import io.chronofabric.api.clogic.Pad;
import io.chronofabric.clogic.ems.internal.EmotionKind.PadTable;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AffectEngineTest {

    static final long T0 = 1_700_000_000_000_000_000L;
    static final long SECOND = 1_000_000_000L;

    /** No mood movement and no contagion, so only appraisal and decay act. */
    static EmsSettings appraisalOnly() {
        return new EmsSettings(0.8, 1.0, 0.0, PadTable.GAMYGDALA, 0.0, 400, false, 0.5, 1, 0.5, 0.5, 0.5);
    }

    static AffectEngine engine(EmsSettings s) {
        AffectEngine e = new AffectEngine(s);
        e.agent("self", Personality.NEUTRAL);
        e.goal("self", "task", 0.0);
        e.goal("self", "stability", 0.5);
        e.advanceTo(T0);
        return e;
    }

    @Test
    void shouldDecayAJoyOfIntensityOneToPointEightAfterOneSecondWithThePublishedPad() {
        AffectEngine e = engine(appraisalOnly());

        // goal likelihood 0 -> 1 with utility 1: |u d| = 1, joy only (|d| >= 0.5, so no satisfaction)
        assertThat(e.appraise("self", "task", 1, 1, "", T0)).isEqualTo(1.0);
        AffectState at0 = e.state("self", T0);
        assertThat(at0.emotions()).containsOnlyKeys("joy");
        assertThat(at0.emotion("joy")).isEqualTo(1.0);

        AffectState at1 = e.state("self", T0 + SECOND);
        assertThat(at1.emotion("joy")).isCloseTo(0.8, within(1e-12));
        // GAMYGDALA's PAD state: 0.8 x joy's PAD vector (0.76, 0.48, 0.35)
        Pad pad = at1.emotionPad();
        assertThat(pad.pleasure()).isCloseTo(0.608, within(1e-12));
        assertThat(pad.arousal()).isCloseTo(0.384, within(1e-12));
        assertThat(pad.dominance()).isCloseTo(0.28, within(1e-12));
        assertThat(at1.dominantEmotion()).isEqualTo("joy");
        // gain limiter, gain 1: 0.8 / 1.8
        assertThat(at1.intensity()).isCloseTo(0.8 / 1.8, within(1e-12));
    }

    @Test
    void shouldDecayExponentiallyWhateverTheStepsBetweenReadings() {
        AffectEngine a = engine(appraisalOnly());
        AffectEngine b = engine(appraisalOnly());
        a.appraise("self", "task", 1, 1, "", T0);
        b.appraise("self", "task", 1, 1, "", T0);
        for (int i = 1; i <= 25; i++) {
            a.advanceTo(T0 + i * SECOND / 10);
        }
        b.advanceTo(T0 + 25 * SECOND / 10);
        assertThat(a.intensity("self", EmotionKind.JOY)).isCloseTo(Math.pow(0.8, 2.5), within(1e-12));
        assertThat(b.intensity("self", EmotionKind.JOY)).isCloseTo(Math.pow(0.8, 2.5), within(1e-12));
    }

    @Test
    void shouldGiveTheOccEmotionsOfGamygdalaForEachOutcome() {
        AffectEngine e = engine(appraisalOnly());
        e.goal("self", "hoped", 0.7);
        e.goal("self", "feared", 0.7);
        e.goal("self", "lost", 0.8);
        e.goal("self", "escaped", 0.8);

        e.appraise("self", "stability", 1, 0.2, "", T0); // uncertain, better: hope 0.2
        assertThat(e.intensity("self", EmotionKind.HOPE)).isCloseTo(0.2, within(1e-12));
        e.appraise("self", "stability", 1, -0.4, "", T0); // 0.7 -> 0.3, worse: fear 0.4
        assertThat(e.intensity("self", EmotionKind.FEAR)).isCloseTo(0.4, within(1e-12));

        e.appraise("self", "hoped", 0.5, 0.3, "", T0); // 0.7 -> 1, expected: satisfaction + joy 0.15
        assertThat(e.intensity("self", EmotionKind.SATISFACTION)).isCloseTo(0.15, within(1e-12));
        assertThat(e.intensity("self", EmotionKind.JOY)).isCloseTo(0.15, within(1e-12));

        e.appraise("self", "feared", -1, 0.3, "", T0); // undesired outcome happened: fears-confirmed + distress 0.3
        assertThat(e.intensity("self", EmotionKind.FEARS_CONFIRMED)).isCloseTo(0.3, within(1e-12));
        assertThat(e.intensity("self", EmotionKind.DISTRESS)).isCloseTo(0.3, within(1e-12));

        e.appraise("self", "lost", 1, -1, "", T0); // 0.8 -> 0 (d = -0.8): disappointment + distress 0.8
        assertThat(e.intensity("self", EmotionKind.DISAPPOINTMENT)).isCloseTo(0.8, within(1e-12));
        assertThat(e.intensity("self", EmotionKind.DISTRESS)).isCloseTo(1.1, within(1e-12));

        e.appraise("self", "escaped", -0.5, -1, "", T0); // feared outcome did not happen: relief + joy 0.4
        assertThat(e.intensity("self", EmotionKind.RELIEF)).isCloseTo(0.4, within(1e-12));
        assertThat(e.intensity("self", EmotionKind.JOY)).isCloseTo(0.55, within(1e-12));

        assertThat(e.appraise("self", "lost", 1, -0.5, "", T0)).as("likelihood stays in [0, 1]").isEqualTo(0.0);
    }

    @Test
    void shouldGiveSocialAndAttributionEmotions() {
        AffectEngine e = engine(appraisalOnly());
        e.agent("friend", Personality.NEUTRAL);
        e.agent("rival", Personality.NEUTRAL);
        e.relation("friend", "self", 0.5);
        e.relation("rival", "self", -0.8);

        e.appraise("self", "stability", 1, 0.4, "friend", T0); // good for self, caused by friend
        assertThat(e.intensity("friend", EmotionKind.HAPPY_FOR)).isCloseTo(0.2, within(1e-12));
        assertThat(e.intensity("rival", EmotionKind.RESENTMENT)).isCloseTo(0.32, within(1e-12));
        assertThat(e.intensity("self", EmotionKind.GRATITUDE)).isCloseTo(0.4, within(1e-12));
        assertThat(e.intensity("friend", EmotionKind.GRATIFICATION)).isCloseTo(0.2, within(1e-12));

        e.appraise("self", "stability", 1, -0.6, "rival", T0); // bad for self, caused by rival
        assertThat(e.intensity("friend", EmotionKind.PITY)).isCloseTo(0.3, within(1e-12));
        assertThat(e.intensity("rival", EmotionKind.GLOATING)).isCloseTo(0.48, within(1e-12));
        assertThat(e.intensity("self", EmotionKind.ANGER)).isCloseTo(0.6, within(1e-12));
        assertThat(e.intensity("rival", EmotionKind.REMORSE)).as("a rival that dislikes self feels no remorse").isZero();
    }

    @Test
    void shouldDeriveTheDefaultMoodFromPersonalityWithMehrabiansMapping() {
        Personality p = new Personality(0.4, 0.6, 0.3, 0.7, -0.2);
        Pad mood = p.defaultMood();
        assertThat(mood.pleasure()).isCloseTo(0.21 * 0.3 + 0.59 * 0.7 + 0.19 * -0.2, within(1e-12));
        assertThat(mood.arousal()).isCloseTo(0.15 * 0.4 + 0.30 * 0.7 - 0.57 * -0.2, within(1e-12));
        assertThat(mood.dominance()).isCloseTo(0.25 * 0.4 + 0.17 * 0.6 + 0.60 * 0.3 - 0.32 * 0.7, within(1e-12));
        assertThat(Personality.parse("0.4/0.6/0.3/0.7/-0.2")).isEqualTo(p);
        assertThatThrownBy(() -> Personality.parse("1/2/3")).hasMessageContaining("not O/C/E/A/N");
        assertThatThrownBy(() -> Personality.parse("0/0/0/0/1.5")).hasMessageContaining("neuroticism 1.5 is outside");
    }

    @Test
    void shouldPullTheMoodTowardsTheEmotionCentreThenPushItAndReturnToDefault() {
        EmsSettings s = new EmsSettings(1.0, 1.0, 0.0, PadTable.GAMYGDALA, 0.1, 10, false, 0.5, 1, 0.5, 0.5, 0.5);
        AffectEngine e = engine(s);
        e.feel("self", EmotionKind.JOY, 1.0, T0); // no decay (factor 1): centre = joy's PAD vector
        e.advanceTo(T0 + SECOND); // pull: 0.1 per second along the direction to (0.76, 0.48, 0.35)
        Pad m = e.mood("self");
        double len = Math.sqrt(0.76 * 0.76 + 0.48 * 0.48 + 0.35 * 0.35);
        assertThat(m.pleasure()).isCloseTo(0.1 * 0.76 / len, within(1e-9));
        assertThat(m.arousal()).isCloseTo(0.1 * 0.48 / len, within(1e-9));
        assertThat(m.dominance()).isCloseTo(0.1 * 0.35 / len, within(1e-9));

        e.advanceTo(T0 + 20 * SECOND); // reaches the centre after ~9.7 s, then is pushed beyond it
        assertThat(e.mood("self").length()).isGreaterThan(len);
        assertThat(e.mood("self").octant()).isEqualTo("exuberant");

        AffectEngine back = engine(s);
        back.feel("self", EmotionKind.FEAR, 1.0, T0);
        back.advanceTo(T0 + 5 * SECOND);
        Pad afraid = back.mood("self");
        assertThat(afraid.octant()).isEqualTo("anxious");
        back.appraise("self", "stability", 0, 0.1, "", T0 + 5 * SECOND); // nothing felt (utility 0)
        back.feel("self", EmotionKind.FEAR, 0, T0 + 5 * SECOND);
        // clear the emotion through a snapshot without it, then let the mood return (time constant 10 s)
        Properties p = back.snapshot();
        p.remove("agent.0.emotion.fear");
        back.restore(p);
        back.advanceTo(T0 + 15 * SECOND);
        assertThat(back.mood("self").pleasure()).isCloseTo(afraid.pleasure() * Math.exp(-1), within(1e-3));
    }

    @Test
    void shouldSpreadEmotionsBetweenAgentsByContagion() {
        // gamma = (2 - 1) * 1 * 1 * 1 = 1 per second, eta = 0 (no bias): dq_peer/dt = q_self - q_peer
        EmsSettings s = new EmsSettings(1.0, 1.0, 0.0, PadTable.GAMYGDALA, 0.0, 400, true, 1, 1, 1, 0, 0.5);
        AffectEngine e = engine(s);
        e.agent("peer", Personality.NEUTRAL);
        e.feel("self", EmotionKind.FEAR, 1.0, T0);
        e.advanceTo(T0 + SECOND / 10);
        assertThat(e.intensity("peer", EmotionKind.FEAR)).isCloseTo(0.1, within(1e-12));
        assertThat(e.intensity("self", EmotionKind.FEAR)).isCloseTo(0.9, within(1e-12));
        e.advanceTo(T0 + 30 * SECOND);
        assertThat(e.intensity("peer", EmotionKind.FEAR)).isCloseTo(0.5, within(1e-6));
        assertThat(e.intensity("self", EmotionKind.FEAR)).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void shouldAmplifyUpwardsWithAnUpwardBias() {
        EmsSettings s = new EmsSettings(1.0, 1.0, 0.0, PadTable.GAMYGDALA, 0.0, 400, true, 1, 1, 1, 1, 1);
        AffectEngine e = engine(s);
        e.agent("peer", Personality.NEUTRAL);
        e.feel("self", EmotionKind.JOY, 0.6, T0);
        e.feel("peer", EmotionKind.JOY, 0.6, T0);
        e.advanceTo(T0 + SECOND);
        // eta = beta = 1: target 1 - (1 - q*)(1 - q) = 0.84 > 0.6, both rise
        assertThat(e.intensity("self", EmotionKind.JOY)).isGreaterThan(0.6);
        assertThat(e.intensity("peer", EmotionKind.JOY)).isGreaterThan(0.6);
    }

    @Test
    void shouldRefuseBadInputWithClearErrors() {
        AffectEngine e = engine(appraisalOnly());
        assertThatThrownBy(() -> e.appraise("self", "nope", 1, 0.5, "", T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown goal 'nope' of agent 'self': known goals are [task, stability]");
        assertThatThrownBy(() -> e.appraise("self", "task", Double.NaN, 0.5, "", T0)).hasMessageContaining("Utility NaN of goal 'task'");
        assertThatThrownBy(() -> e.appraise("self", "task", 1.5, 0.5, "", T0)).hasMessageContaining("Utility 1.5 of goal 'task' is outside [-1, 1]");
        assertThatThrownBy(() -> e.appraise("self", "task", 1, Double.NaN, "", T0)).hasMessageContaining("Likelihood change NaN");
        assertThatThrownBy(() -> e.appraise("ghost", "task", 1, 0.5, "", T0)).hasMessageContaining("Unknown agent 'ghost'");
        assertThatThrownBy(() -> e.goal("self", "x", 1.2)).hasMessageContaining("Likelihood 1.2 of goal 'x'");
        assertThatThrownBy(() -> new EmsSettings(1.2, 1, 0, PadTable.ALMA, 0, 1, false, 0, 0, 0, 0, 0)).hasMessageContaining("decay.factor 1.2");
        assertThatThrownBy(() -> new EmsSettings(0.8, 0, 0, PadTable.ALMA, 0, 1, false, 0, 0, 0, 0, 0)).hasMessageContaining("gain 0.0");
        assertThat(e.appraisals()).isZero();
    }

    @Test
    void shouldUseAlmasTableWhenConfigured() {
        EmsSettings s = new EmsSettings(0.8, 1.0, 0.0, PadTable.ALMA, 0.0, 400, false, 0.5, 1, 0.5, 0.5, 0.5);
        AffectEngine e = engine(s);
        e.appraise("self", "task", 1, 1, "", T0);
        Pad pad = e.state("self", T0 + SECOND).emotionPad();
        assertThat(pad.pleasure()).isCloseTo(0.32, within(1e-12));
        assertThat(pad.arousal()).isCloseTo(0.16, within(1e-12));
        assertThat(pad.dominance()).isCloseTo(0.08, within(1e-12));
    }

    @Test
    void shouldRestoreItsStateFromASnapshot() {
        AffectEngine e = engine(EmsSettings.DEFAULTS);
        e.agent("peer", Personality.NEUTRAL);
        e.relation("peer", "self", 0.3);
        e.appraise("self", "task", 1, 1, "", T0);
        e.appraise("self", "stability", 1, -0.2, "", T0 + SECOND);
        e.advanceTo(T0 + 2 * SECOND);
        Properties snap = e.snapshot();

        AffectEngine r = engine(EmsSettings.DEFAULTS);
        r.agent("peer", Personality.NEUTRAL);
        assertThat(r.restore(snap)).isEmpty();
        assertThat(r.state("self", T0 + 2 * SECOND)).isEqualTo(e.state("self", T0 + 2 * SECOND));
        assertThat(r.goals("self")).isEqualTo(e.goals("self"));
        assertThat(r.state("peer", T0 + 3 * SECOND)).isEqualTo(e.state("peer", T0 + 3 * SECOND));
        assertThat(r.appraisals()).isEqualTo(2);

        AffectEngine fewer = new AffectEngine(EmsSettings.DEFAULTS);
        fewer.agent("self", Personality.NEUTRAL);
        fewer.goal("self", "task", 0.5);
        assertThat(fewer.restore(snap)).containsExactly("goal self:stability", "agent peer");
        Properties bad = new Properties();
        bad.setProperty("format", "9");
        assertThatThrownBy(() -> fewer.restore(bad)).hasMessageContaining("snapshot format '9' is not 1");
    }
}

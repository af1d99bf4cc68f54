package io.chronofabric.clogic.drpp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ChronoFabric C-LOGIC DRPP",
        description = "Dynamic Resonance Pattern Processor: resonance, coherence, information flow, changepoints and motifs on numeric bus streams.")
public @interface DrppConfig {

    String PID = "io.chronofabric.clogic.drpp";

    @AttributeDefinition(description = "false = subscribed to nothing")
    boolean enabled() default true;

    @AttributeDefinition(description = "Input channels, CHANNEL or CHANNEL=EXTRACTION (number, sample, field:NAME, auto), comma separated. Empty = idle.")
    String[] inputs() default {};

    @AttributeDefinition(name = "modulation.channel", description = "Where EMS Modulation arrives (empty = ignore)")
    String modulation_channel() default "drpp.modulation";

    @AttributeDefinition(name = "governance.channel", description = "Where EGC GovernanceDecisions arrive (empty = ignore)")
    String governance_channel() default "drpp.governance";

    @AttributeDefinition(name = "output.channel", description = "Where PatternEvents are published")
    String output_channel() default "drpp.patterns";

    @AttributeDefinition(name = "sample.rate", description = "Samples per second of every stream (frequencies are in Hz of this rate)")
    double sample_rate() default 1.0;

    @AttributeDefinition(description = "Samples kept per stream (ring buffer; snapshot and replay); every window must fit in it. 64..1048576")
    int memory() default 4096;

    @AttributeDefinition(name = "max.streams", description = "Distinct streams tracked at most; samples of more streams are skipped and counted. 1..256")
    int max_streams() default 32;

    @AttributeDefinition(name = "goertzel.frequencies", description = "Goertzel bank frequencies in Hz (comma separated, each <= sample.rate/2); empty = no bank")
    String[] goertzel_frequencies() default {};

    @AttributeDefinition(name = "goertzel.block", description = "Samples per Goertzel block, 2..memory")
    int goertzel_block() default 64;

    @AttributeDefinition(name = "goertzel.min.snr", description = "A Goertzel frequency whose SNR rises above this is a RESONANCE event")
    double goertzel_min_snr() default 10;

    @AttributeDefinition(name = "fft.window", description = "FFT window (power of two, 8..memory); 0 = no spectral peaks")
    int fft_window() default 256;

    @AttributeDefinition(name = "fft.hop", description = "Samples between two FFT analyses, 1..fft.window")
    int fft_hop() default 64;

    @AttributeDefinition(name = "fft.min.snr", description = "A spectral peak with power over the median bin power above this is a peak")
    double fft_min_snr() default 20;

    @AttributeDefinition(name = "fft.peaks", description = "Peaks reported per analysis, 1..16")
    int fft_peaks() default 3;

    @AttributeDefinition(name = "te.pairs", description = "Transfer entropy pairs SOURCE->TARGET (stream names), comma separated")
    String[] te_pairs() default {};

    @AttributeDefinition(name = "te.k", description = "Target history length k, 1..16")
    int te_k() default 1;

    @AttributeDefinition(name = "te.l", description = "Source history length l, 1..16")
    int te_l() default 1;

    @AttributeDefinition(name = "te.bins", description = "Bins of the discrete estimator (equal width over the running mean +- 2 sd), 2..64; bins^(k+l+1) <= 4194304")
    int te_bins() default 2;

    @AttributeDefinition(name = "te.window", description = "Observations of the sliding discrete estimate, 16..memory")
    int te_window() default 1024;

    @AttributeDefinition(name = "te.min.bits", description = "Discrete TE (bits) at or above which an INFORMATION_FLOW event is published, once per te.window observations")
    double te_min_bits() default 0.05;

    @AttributeDefinition(name = "ksg.period", description = "Target samples between two KSG estimates (0 = no KSG)")
    int ksg_period() default 4096;

    @AttributeDefinition(name = "ksg.window", description = "Samples per KSG estimate, 32..memory")
    int ksg_window() default 1024;

    @AttributeDefinition(name = "ksg.neighbours", description = "KSG nearest neighbours K, 1..64")
    int ksg_neighbours() default 4;

    @AttributeDefinition(name = "ksg.surrogates", description = "Permutation surrogates for the p-value, 0..1000")
    int ksg_surrogates() default 19;

    @AttributeDefinition(name = "ksg.max.p", description = "KSG estimates with p at most this are INFORMATION_FLOW events")
    double ksg_max_p() default 0.05;

    @AttributeDefinition(name = "kuramoto.coupling", description = "Kuramoto coupling K (rad/s), >= 0")
    double kuramoto_coupling() default 1.0;

    @AttributeDefinition(name = "kuramoto.interval.ms", description = "Kuramoto network step and coherence check period, 10..60000 ms")
    int kuramoto_interval_ms() default 200;

    @AttributeDefinition(name = "kuramoto.gain", description = "Fraction of the observed phase error an oscillator is pulled by per step, 0..1")
    double kuramoto_gain() default 0.5;

    @AttributeDefinition(name = "coherence.threshold", description = "Order parameter r above which a COHERENCE event is published (on the rise)")
    double coherence_threshold() default 0.8;

    @AttributeDefinition(name = "cusum.drift", description = "CUSUM allowance in standard deviations")
    double cusum_drift() default 0.5;

    @AttributeDefinition(name = "cusum.threshold", description = "CUSUM decision interval h in standard deviations (lowered by arousal)")
    double cusum_threshold() default 8;

    @AttributeDefinition(name = "cusum.warmup", description = "Samples that learn the level after start and after each change, 2..memory")
    int cusum_warmup() default 100;

    @AttributeDefinition(name = "changepoint.method", description = "cusum, bocpd (Adams & MacKay 2007; O(bocpd.max.run) per sample) or both")
    String changepoint_method() default "cusum";

    @AttributeDefinition(name = "bocpd.lambda", description = "BOCPD expected run length (1/hazard), > 1")
    double bocpd_lambda() default 1000;

    @AttributeDefinition(name = "bocpd.max.run", description = "BOCPD longest run length tracked, 8..65536")
    int bocpd_max_run() default 256;

    @AttributeDefinition(name = "bocpd.lag", description = "A run at most this long counts as just changed, 1..bocpd.max.run/4")
    int bocpd_lag() default 5;

    @AttributeDefinition(name = "bocpd.threshold", description = "P(run <= bocpd.lag) above which a change is reported, (0,1) (lowered by arousal)")
    double bocpd_threshold() default 0.8;

    @AttributeDefinition(name = "mp.m", description = "Matrix profile subsequence length, 4..mp.window/2")
    int mp_m() default 32;

    @AttributeDefinition(name = "mp.window", description = "Samples per matrix profile (STOMP), up to memory")
    int mp_window() default 512;

    @AttributeDefinition(name = "mp.period", description = "Samples between two matrix profiles (0 = none)")
    int mp_period() default 512;

    @AttributeDefinition(name = "mp.motif.distance", description = "A motif pair closer than this (distance / sqrt(2m), 0..sqrt(2)) is a MOTIF event")
    double mp_motif_distance() default 0.15;

    @AttributeDefinition(name = "mp.discord.distance", description = "A discord farther than this (distance / sqrt(2m)) from its nearest match is a DISCORD event")
    double mp_discord_distance() default 0.8;

    @AttributeDefinition(name = "events.kept", description = "Recent pattern events kept for the console, 1..10000")
    int events_kept() default 256;

    @AttributeDefinition(name = "snapshot.interval.seconds", description = "State snapshot period (plus one at stop); 0 = only at stop")
    int snapshot_interval_seconds() default 10;
}

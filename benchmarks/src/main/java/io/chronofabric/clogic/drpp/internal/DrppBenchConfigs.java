package io.chronofabric.clogic.drpp.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Benchmark access: DRPP settings from its config defaults with some keys overridden (method names, e.g. "te_k"). */
public final class DrppBenchConfigs {

    private DrppBenchConfigs() {
    }

    static DrppSettings settings(Map<String, Object> overrides) {
        DrppConfig c = (DrppConfig) Proxy.newProxyInstance(DrppConfig.class.getClassLoader(), new Class<?>[] {DrppConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return DrppConfig.class;
                    }
                    Object v = overrides.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
        return new DrppSettings(c);
    }

    /** The per-sample configuration measured: a 4-filter Goertzel bank, CUSUM, one discrete TE pair; windowed analyses off. */
    static Map<String, Object> perSample() {
        return Map.of("sample_rate", 1000.0, "goertzel_frequencies", new String[] {"50, 100, 150, 200"}, "goertzel_block", 100,
                "te_pairs", new String[] {"x->y"}, "te_bins", 4, "te_k", 2, "te_l", 1, "fft_window", 0, "ksg_period", 0, "mp_period", 0);
    }
}

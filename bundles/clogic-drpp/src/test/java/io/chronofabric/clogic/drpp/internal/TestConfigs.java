package io.chronofabric.clogic.drpp.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A DrppConfig with its defaults, some keys overridden (by method name, e.g. "te_k"). */
final class TestConfigs {

    private TestConfigs() {
    }

    static DrppConfig config(Map<String, Object> overrides) {
        return (DrppConfig) Proxy.newProxyInstance(DrppConfig.class.getClassLoader(), new Class<?>[] {DrppConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return DrppConfig.class;
                    }
                    if (overrides.containsKey(method.getName())) {
                        return overrides.get(method.getName());
                    }
                    Object d = method.getDefaultValue();
                    if (d == null) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return d;
                });
    }

    static DrppSettings settings(Map<String, Object> overrides) {
        return new DrppSettings(config(overrides));
    }
}

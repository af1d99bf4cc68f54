package io.chronofabric.time.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A TimeConfig backed by a map, coercing like DS does (strings to numbers; failure throws). */
final class TestConfigs {

    private TestConfigs() {
    }

    static TimeConfig of(Map<String, ?> raw) {
        return (TimeConfig) Proxy.newProxyInstance(TimeConfig.class.getClassLoader(), new Class<?>[] {TimeConfig.class},
                (proxy, method, args) -> {
                    String key = method.getName().replace('_', '.');
                    Object v = raw.get(key);
                    if (v == null) {
                        return method.getDefaultValue();
                    }
                    Class<?> t = method.getReturnType();
                    String s = v.toString();
                    if (t == int.class) {
                        return Integer.valueOf(s);
                    } else if (t == long.class) {
                        return Long.valueOf(s);
                    } else if (t == double.class) {
                        return Double.valueOf(s);
                    }
                    return s;
                });
    }
}

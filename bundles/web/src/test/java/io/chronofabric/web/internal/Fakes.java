package io.chronofabric.web.internal;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Port fakes: a proxy answering the named methods, failing on any other; configs with their defaults. */
final class Fakes {

    private Fakes() {
    }

    static <T> T port(Class<T> type, Map<String, Supplier<?>> answers) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            Supplier<?> s = answers.get(m.getName());
            if (s != null) {
                return s.get();
            }
            if (m.getName().equals("toString")) {
                return "fake " + type.getSimpleName();
            }
            throw new UnsupportedOperationException(type.getSimpleName() + "." + m.getName() + " is not faked");
        }));
    }

    /** The config with every attribute at its default, except the overrides. */
    static WebConfig config(Map<String, Object> overrides) {
        return (WebConfig) Proxy.newProxyInstance(WebConfig.class.getClassLoader(), new Class<?>[] {WebConfig.class},
                (proxy, m, args) -> overrides.containsKey(m.getName()) ? overrides.get(m.getName())
                        : m.getDefaultValue());
    }

    static Sources none() {
        return new Sources(null, null, null, null, null, null, null, List.of(), List::of);
    }
}

package io.chronofabric.telemetry.internal;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.function.Supplier;

/** Port fakes: a proxy answering the named methods, failing on any other. */
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
}

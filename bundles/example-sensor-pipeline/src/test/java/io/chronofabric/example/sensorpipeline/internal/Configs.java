package io.chronofabric.example.sensorpipeline.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** {@link SensorPipelineConfig} instances: the annotation's defaults, some overridden (method name -> value). */
final class Configs {

    private Configs() {
    }

    static SensorPipelineConfig config(Object... methodValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < methodValues.length; i += 2) {
            values.put((String) methodValues[i], methodValues[i + 1]);
        }
        return (SensorPipelineConfig) Proxy.newProxyInstance(SensorPipelineConfig.class.getClassLoader(),
                new Class<?>[] {SensorPipelineConfig.class}, (proxy, m, args) -> {
                    if (values.containsKey(m.getName())) {
                        return values.get(m.getName());
                    }
                    if (m.getDefaultValue() != null) {
                        return m.getDefaultValue();
                    }
                    if (m.getName().equals("annotationType")) {
                        return SensorPipelineConfig.class;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    static SensorSettings settings(Object... methodValues) {
        return SensorSettings.of(config(methodValues));
    }
}

package io.chronofabric.example.sensorpipeline.internal;

import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.PatternKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What DRPP found in the example's sensors: counts by kind, the last few events, and the sensors
 * whose level DRPP saw change (CHANGEPOINT), which the example reports as suspect until the
 * simulation restarts. Events about no sensor of the example are ignored. Not thread-safe: the bus
 * calls one handler at a time; readers go through the owner's lock.
 */
final class PatternWatch {

    static final int KEPT = 20;

    private final Set<String> sensors;
    private final Map<PatternKind, Long> counts = new EnumMap<>(PatternKind.class);
    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private final Map<String, String> suspects = new TreeMap<>();
    private final Map<String, Double> dominant = new TreeMap<>();

    PatternWatch(Set<String> sensors) {
        this.sensors = Set.copyOf(sensors);
    }

    /** Takes one event; returns whether it was about a sensor of the example. */
    boolean accept(PatternEvent e) {
        List<String> mine = new ArrayList<>();
        for (String s : e.streams()) {
            if (sensors.contains(s)) {
                mine.add(s);
            }
        }
        if (mine.isEmpty()) {
            return false;
        }
        counts.merge(e.kind(), 1L, Long::sum);
        String line = describe(e);
        recent.addLast(line);
        while (recent.size() > KEPT) {
            recent.removeFirst();
        }
        if (e.kind() == PatternKind.CHANGEPOINT) {
            for (String s : mine) {
                suspects.put(s, "changepoint at sample " + (long) e.value(PatternEvent.INDEX) + (e.detail().isEmpty() ? "" : " (" + e.detail() + ")"));
            }
        } else if (e.kind() == PatternKind.RESONANCE && mine.size() == 1) {
            dominant.put(mine.get(0), e.value(PatternEvent.FREQUENCY));
        }
        return true;
    }

    static String describe(PatternEvent e) {
        StringBuilder b = new StringBuilder(e.kind().name()).append(' ').append(String.join("->", e.streams()));
        e.values().forEach((k, v) -> b.append(' ').append(k).append('=').append(String.format(Locale.ROOT, "%.4g", v)));
        if (!e.detail().isEmpty()) {
            b.append(" (").append(e.detail()).append(')');
        }
        return b.toString();
    }

    long count(PatternKind kind) {
        return counts.getOrDefault(kind, 0L);
    }

    Map<PatternKind, Long> counts() {
        return new EnumMap<>(counts);
    }

    List<String> recent() {
        return List.copyOf(recent);
    }

    /** Sensor -> why it is suspect. */
    Map<String, String> suspects() {
        return Map.copyOf(suspects);
    }

    /** Sensor -> the frequency of DRPP's last RESONANCE on it (in DRPP's units: Hz of its sample.rate). */
    Map<String, Double> dominantFrequencies() {
        return Map.copyOf(dominant);
    }
}

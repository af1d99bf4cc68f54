package io.chronofabric.clogic.drpp.internal;

import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.PatternKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The recent pattern events in the snapshot: one property per event, fields separated by the ASCII
 * unit separator (U+001F), list and map entries by the record separator (U+001E).
 */
final class EventCodec {

    private static final String FIELD = "\u001f";
    private static final String ITEM = "\u001e";

    private EventCodec() {
    }

    static void write(List<PatternEvent> events, Properties p) {
        p.setProperty("recent", Integer.toString(events.size()));
        for (int i = 0; i < events.size(); i++) {
            PatternEvent e = events.get(i);
            StringBuilder values = new StringBuilder();
            e.values().forEach((k, v) -> values.append(values.length() == 0 ? "" : ITEM).append(k).append('=').append(v));
            p.setProperty("recent." + i, e.kind() + FIELD + String.join(ITEM, e.streams()) + FIELD + values + FIELD + e.timeNanos()
                    + FIELD + e.detail());
        }
    }

    /** The events of a snapshot; an entry that does not parse is left out (the rest are kept). */
    static List<PatternEvent> read(Properties p) {
        List<PatternEvent> out = new ArrayList<>();
        int n;
        try {
            n = Integer.parseInt(p.getProperty("recent", "0"));
        } catch (NumberFormatException e) {
            return out;
        }
        for (int i = 0; i < n; i++) {
            String line = p.getProperty("recent." + i);
            if (line == null) {
                continue;
            }
            try {
                String[] f = line.split(FIELD, -1);
                Map<String, Double> values = new LinkedHashMap<>();
                if (!f[2].isEmpty()) {
                    for (String kv : f[2].split(ITEM)) {
                        int eq = kv.lastIndexOf('=');
                        values.put(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
                    }
                }
                out.add(new PatternEvent(PatternKind.valueOf(f[0]), Arrays.asList(f[1].split(ITEM)), values, Long.parseLong(f[3]), f[4]));
            } catch (RuntimeException e) {
                // a damaged entry: skip it
            }
        }
        return out;
    }
}

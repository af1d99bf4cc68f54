package io.chronofabric.clogic.drpp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.PatternKind;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    @Test
    void shouldKeepRecentEventsThroughAPropertiesFileAndSkipADamagedOne() throws Exception {
        List<PatternEvent> events = List.of(
                new PatternEvent(PatternKind.INFORMATION_FLOW, List.of("a,b", "c=d"), Map.of(PatternEvent.TE, 0.25, PatternEvent.P, 0.05), 123,
                        "ksg K=4"),
                new PatternEvent(PatternKind.RESONANCE, List.of("tone"), Map.of(PatternEvent.FREQUENCY, 8.0), 456, ""));
        Properties p = new Properties();
        EventCodec.write(events, p);
        StringWriter w = new StringWriter();
        p.store(w, null);
        Properties back = new Properties();
        back.load(new StringReader(w.toString()));
        assertThat(EventCodec.read(back)).isEqualTo(events);
        back.setProperty("recent.0", "NOT_A_KIND\u001f\u001f\u001f1\u001f");
        assertThat(EventCodec.read(back)).containsExactly(events.get(1));
    }
}

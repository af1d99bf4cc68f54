package io.chronofabric.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.console.CommandLine;
import org.junit.jupiter.api.Test;

class PortNameCompleterTest {

    @Test
    void shouldOfferEveryPortAndBridges() {
        assertThat(PortNameCompleter.sections()).containsAll(Ports.names()).contains("bridges").doesNotHaveDuplicates();
        assertThat(PortNameCompleter.sections()).hasSize(Ports.names().size() + 1);
    }

    @Test
    void shouldCompleteBridgesFromItsPrefix() {
        List<String> candidates = complete("br");
        assertThat(candidates).extracting(String::strip).containsExactly("bridges");
    }

    @Test
    void shouldListBridgesAmongTheCandidatesOfAnEmptyArgument() {
        List<String> candidates = complete("");
        assertThat(candidates).extracting(String::strip).contains("bridges", "bus", "hlc", "ledger");
    }

    private static List<String> complete(String typed) {
        List<String> candidates = new ArrayList<>();
        new PortNameCompleter().complete(null, new Typed("csf:status " + typed, typed), candidates);
        return candidates;
    }

    /** The command line with the cursor at the end of the section argument. */
    private record Typed(String buffer, String argument) implements CommandLine {
        @Override
        public int getCursorArgumentIndex() {
            return 1;
        }

        @Override
        public String getCursorArgument() {
            return argument;
        }

        @Override
        public int getArgumentPosition() {
            return argument.length();
        }

        @Override
        public String[] getArguments() {
            return new String[] {"csf:status", argument};
        }

        @Override
        public int getBufferPosition() {
            return buffer.length();
        }

        @Override
        public String getBuffer() {
            return buffer;
        }
    }
}

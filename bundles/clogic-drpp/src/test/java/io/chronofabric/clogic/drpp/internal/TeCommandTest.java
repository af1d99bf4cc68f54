package io.chronofabric.clogic.drpp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeCommandTest {

    @Test
    void shouldPrintTwoThirdsOfABitForInformsSeries() {
        String line = TeCommand.compute(TeCommand.parse("1,1,0,0,1", "source"), TeCommand.parse("1,1,1,0,0", "target"), "discrete", 2, 1, 2, 4, 0);
        assertThat(line).isEqualTo("TE = 0.666667 bits");
    }

    @Test
    void shouldReadTwoColumnsFromAFileWithAHeader(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("pair.csv");
        StringBuilder b = new StringBuilder("source,target\n");
        int prev = 1;
        for (int t = 0; t < 401; t++) { // 400 observations: each transition of the period-4 pattern equally often
            int x = (t % 4) < 2 ? 0 : 1;
            b.append(x).append(',').append(prev).append('\n');
            prev = x;
        }
        Files.writeString(f, b);
        double[][] xy = TeCommand.readColumns(f);
        assertThat(xy[0]).hasSize(401);
        assertThat(TeCommand.compute(xy[0], xy[1], "discrete", 1, 1, 2, 4, 0)).isEqualTo("TE = 1.000000 bits");
        assertThat(TeCommand.compute(xy[0], xy[1], "ksg", 1, 1, 2, 4, 0)).startsWith("TE = ").contains("nats");
    }

    @Test
    void shouldNameWhatDoesNotParse(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> TeCommand.parse("1,2,x", "source")).hasMessageContaining("source value 3 'x'");
        assertThatThrownBy(() -> TeCommand.parse("1,NaN", "target")).hasMessageContaining("target value 2");
        assertThatThrownBy(() -> TeCommand.compute(new double[3], new double[4], "discrete", 1, 1, 2, 4, 0)).hasMessageContaining("same length");
        assertThatThrownBy(() -> TeCommand.compute(new double[3], new double[3], "magic", 1, 1, 2, 4, 0)).hasMessageContaining("discrete or ksg");
        assertThatThrownBy(() -> TeCommand.compute(new double[9], new double[9], "discrete", 0, 1, 2, 4, 0)).hasMessageContaining("target history k");
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "1,2\n3;x\n");
        assertThatThrownBy(() -> TeCommand.readColumns(f)).hasMessageContaining("line 2");
    }
}

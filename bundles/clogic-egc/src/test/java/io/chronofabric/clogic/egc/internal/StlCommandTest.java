package io.chronofabric.clogic.egc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StlCommandTest {

    @Test
    void shouldPrintRobustnessPerSample() {
        assertThat(StlCommand.run("a until b", List.of("a=100,-1,-2,5,-1", "b=20,-2,10,4,-1")))
                .isEqualTo("t=0 20\nt=1 -1\nt=2 10\nt=3 4\nt=4 -1\n");
        assertThat(StlCommand.run("prev a", List.of("a=1.5,2"))).isEqualTo("t=0 inf\nt=1 1.5\n");
        assertThat(StlCommand.run("once[1:1] a", List.of("a=1,2"))).isEqualTo("t=0 -inf\nt=1 1\n");
    }

    @Test
    void shouldRefuseBadInput() {
        assertThatThrownBy(() -> StlCommand.run("a and b", List.of("a=1,2", "b=1"))).hasMessageContaining("signals of different lengths");
        assertThatThrownBy(() -> StlCommand.run("a", List.of("a=1,NaN"))).hasMessage("signal 'a' sample 1 is NaN");
        assertThatThrownBy(() -> StlCommand.run("a", List.of("a=1,x"))).hasMessage("signal 'a' sample 1 'x' is not a number");
        assertThatThrownBy(() -> StlCommand.run("a", List.of("a=1", "c=2"))).hasMessageContaining("unknown signal 'c'");
        assertThatThrownBy(() -> StlCommand.run("always(", List.of("a=1"))).hasMessageStartingWith("line 1, column 8: expected");
    }

    @Test
    void shouldFormatBriefly() {
        assertThat(StlCommand.brief(-6.475000000000001)).isEqualTo("-6.475");
        assertThat(StlCommand.brief(0.8662207357859532)).isEqualTo("0.866221");
        assertThat(StlCommand.brief(1e-9)).isEqualTo("1.00000e-09");
        assertThat(StlCommand.brief(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(StlCommand.brief(-15)).isEqualTo("-15");
    }
}

package io.chronofabric.api.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeaseTest {

    @Test
    void shouldRefuseBlankNamesOwnersAndNonPositiveTokens() {
        assertThatThrownBy(() -> new Lease(" ", "a", 1, 0)).hasMessageContaining("name is blank");
        assertThatThrownBy(() -> new Lease("l", "", 1, 0)).hasMessageContaining("owner is blank");
        assertThatThrownBy(() -> new Lease("l", "a", 0, 0)).hasMessageContaining("token must be > 0: 0");
        assertThat(new Lease("l", "a", 7, 100).fencingToken()).isEqualTo(7);
    }

    @Test
    void shouldListEveryMemberWithUnknownPositionsByDefault() {
        Consensus c = new Consensus() {
            @Override
            public java.util.concurrent.CompletionStage<CommittedValue> propose(byte[] value) {
                throw new UnsupportedOperationException();
            }

            @Override
            public LearnHandle learn(long fromIndex, java.util.function.Consumer<CommittedValue> learner) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long commitIndex() {
                return -1;
            }

            @Override
            public ClusterView view() {
                return new ClusterView("b", Optional.of("a"), Set.of("b", "a"), 3);
            }
        };
        assertThat(c.memberStatus()).containsExactly(new MemberStatus("a", true, -1, -1),
                new MemberStatus("b", false, -1, -1));
    }
}

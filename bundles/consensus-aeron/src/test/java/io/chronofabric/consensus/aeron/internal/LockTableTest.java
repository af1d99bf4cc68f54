package io.chronofabric.consensus.aeron.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.consensus.Lease;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class LockTableTest {

    private final LockTable table = new LockTable();
    private final ExpandableArrayBuffer cmd = new ExpandableArrayBuffer(128);
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[512]);

    private byte apply(byte op, long arg, String name, String owner, long position, long time) {
        int n = LockTable.encode(cmd, 0, op, arg, name, owner);
        table.apply(cmd, 0, n, position, time, out);
        return out.getByte(0);
    }

    @Test
    void shouldGrantRenewRefuseAndLapseWithGrowingTokens() {
        assertThat(apply(LockTable.ACQUIRE, 1_000, "res", "a", 100, 5_000)).isEqualTo(LockTable.GRANTED);
        assertThat(out.getLong(1)).isEqualTo(100);
        assertThat(out.getLong(9)).isEqualTo(6_000);
        // another owner while the lease lives: refused, told who holds it
        assertThat(apply(LockTable.ACQUIRE, 1_000, "res", "b", 200, 5_500)).isEqualTo(LockTable.HELD);
        assertThat(LockTable.decodeOwner(out, 0)).isEqualTo("a");
        // renewal by the holder keeps the token, moves the expiry
        assertThat(apply(LockTable.ACQUIRE, 1_000, "res", "a", 300, 5_900)).isEqualTo(LockTable.GRANTED);
        assertThat(out.getLong(1)).isEqualTo(100);
        assertThat(table.holder("res")).contains(new Lease("res", "a", 100, 6_900));
        // lapsed: b gets it with a larger token; a's old lease no longer releases anything
        assertThat(apply(LockTable.ACQUIRE, 1_000, "res", "b", 400, 7_000)).isEqualTo(LockTable.GRANTED);
        assertThat(out.getLong(1)).isEqualTo(400);
        assertThat(apply(LockTable.RELEASE, 100, "res", "a", 500, 7_100)).isEqualTo(LockTable.NOT_CURRENT);
        assertThat(apply(LockTable.RELEASE, 400, "res", "b", 600, 7_200)).isEqualTo(LockTable.RELEASED);
        assertThat(table.holder("res")).isEmpty();
    }

    @Test
    void shouldNeverLetClusterTimeGoBack() {
        apply(LockTable.ACQUIRE, 1_000, "res", "a", 100, 10_000);
        // a message stamped earlier (a new leader with a slower clock) does not lapse or extend wrongly
        assertThat(apply(LockTable.ACQUIRE, 1_000, "res", "b", 200, 9_000)).isEqualTo(LockTable.HELD);
        assertThat(table.clock()).isEqualTo(10_000);
    }

    @Test
    void shouldAnswerMalformedCommandsWithoutThrowing() {
        cmd.putByte(0, LockTable.ACQUIRE);
        table.apply(cmd, 0, 5, 1, 1, out);
        assertThat(out.getByte(0)).isEqualTo(LockTable.MALFORMED);
        assertThat(apply((byte) 9, 1, "res", "a", 1, 1)).isEqualTo(LockTable.MALFORMED);
    }
}

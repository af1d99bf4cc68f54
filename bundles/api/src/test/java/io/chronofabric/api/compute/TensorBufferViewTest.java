package io.chronofabric.api.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

/** The zero-copy read-only views keep the tensor immutable. */
class TensorBufferViewTest {

    @Test
    void shouldViewFloatsWithoutCopyingAndInOrder() {
        float[] v = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.wrapFloats(new int[] {2, 3}, v);
        FloatBuffer b = t.floatBuffer();
        assertThat(b.isReadOnly()).isTrue();
        assertThat(b.position()).isZero();
        assertThat(b.limit()).isEqualTo(6);
        assertThat(b.capacity()).isEqualTo(6);
        float[] read = new float[6];
        b.get(0, read, 0, 6);
        assertThat(read).containsExactly(1, 2, 3, 4, 5, 6);
        // zero copy: the view reads the storage the tensor wrapped (wrap* hands ownership over)
        v[4] = 50;
        assertThat(b.get(4)).isEqualTo(50f);
    }

    @Test
    void shouldRefuseEveryWriteThroughTheView() {
        Tensor t = Tensor.ofFloats(new int[] {3}, 1, 2, 3);
        FloatBuffer b = t.floatBuffer();
        assertThatThrownBy(() -> b.put(0, 9f)).isInstanceOf(ReadOnlyBufferException.class);
        assertThatThrownBy(() -> b.put(9f)).isInstanceOf(ReadOnlyBufferException.class);
        assertThatThrownBy(() -> b.put(new float[] {7, 8, 9})).isInstanceOf(ReadOnlyBufferException.class);
        assertThatThrownBy(() -> b.duplicate().put(0, 9f)).isInstanceOf(ReadOnlyBufferException.class);
        assertThatThrownBy(() -> b.slice().put(0, 9f)).isInstanceOf(ReadOnlyBufferException.class);
        // the backing array does not escape
        assertThat(b.hasArray()).isFalse();
        assertThatThrownBy(b::array).isInstanceOf(ReadOnlyBufferException.class);
        assertThatThrownBy(b::arrayOffset).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(t.toFloatArray()).containsExactly(1, 2, 3);
        assertThat(t).isEqualTo(Tensor.ofFloats(new int[] {3}, 1, 2, 3));
    }

    @Test
    void shouldGiveEachCallItsOwnPositionAndLimit() {
        Tensor t = Tensor.ofFloats(new int[] {4}, 1, 2, 3, 4);
        FloatBuffer first = t.floatBuffer();
        first.position(3).limit(3);
        FloatBuffer second = t.floatBuffer();
        assertThat(second.position()).isZero();
        assertThat(second.remaining()).isEqualTo(4);
        assertThat(second.get()).isEqualTo(1f);
    }

    @Test
    void shouldViewDoublesIntsAndLongsReadOnly() {
        DoubleBuffer d = Tensor.ofDoubles(new int[] {2}, 1.5, -2.5).doubleBuffer();
        assertThat(d.get(1)).isEqualTo(-2.5);
        assertThatThrownBy(() -> d.put(0, 0.0)).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(d.hasArray()).isFalse();
        IntBuffer i = Tensor.ofInts(new int[] {2}, 7, 8).intBuffer();
        assertThat(i.get(0)).isEqualTo(7);
        assertThatThrownBy(() -> i.put(0, 0)).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(i.hasArray()).isFalse();
        LongBuffer l = Tensor.ofLongs(new int[] {2}, 5L, 6L).longBuffer();
        assertThat(l.get(1)).isEqualTo(6L);
        assertThatThrownBy(() -> l.put(0, 0L)).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(Tensor.ofIndices(new int[] {1}, 3L).longBuffer().get(0)).isEqualTo(3L);
    }

    @Test
    void shouldNameTheElementTypeWhenTheViewDoesNotMatch() {
        assertThatThrownBy(() -> Tensor.ofDoubles(new int[] {1}, 1).floatBuffer())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("tensor of f64 has no f32 storage");
        assertThatThrownBy(() -> Tensor.ofFloats(new int[] {1}, 1).doubleBuffer())
                .hasMessage("tensor of f32 has no f64 storage");
        assertThatThrownBy(() -> Tensor.ofFloats(new int[] {1}, 1).intBuffer())
                .hasMessage("tensor of f32 has no i32 storage");
        assertThatThrownBy(() -> Tensor.ofBooleans(new int[] {1}, true).longBuffer())
                .hasMessage("tensor of i1 has no long[] storage");
    }

    @Test
    void shouldViewAReshapedTensorsSameElements() {
        Tensor t = Tensor.ofFloats(new int[] {2, 2}, 1, 2, 3, 4).reshape(4);
        assertThat(t.floatBuffer().get(3)).isEqualTo(4f);
        assertThat(Tensor.zeros(ElementType.F32, 0).floatBuffer().capacity()).isZero();
    }
}

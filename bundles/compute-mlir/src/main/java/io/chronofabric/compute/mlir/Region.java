package io.chronofabric.compute.mlir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A region: a list of blocks (one in every op of the subset). */
public final class Region {

    private final List<Block> blocks = new ArrayList<>();

    public List<Block> blocks() {
        return Collections.unmodifiableList(blocks);
    }

    /** The first block; throws when the region is empty. */
    public Block entry() {
        if (blocks.isEmpty()) {
            throw new IllegalStateException("empty region");
        }
        return blocks.get(0);
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    void add(Block b) {
        blocks.add(b);
    }
}

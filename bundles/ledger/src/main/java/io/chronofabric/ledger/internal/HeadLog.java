package io.chronofabric.ledger.internal;

import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.ledger.SignedTreeHead;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Signed tree heads on disk ({@code heads.log}), framed like segment records. A torn last head is
 * dropped; the heads before it stay.
 */
final class HeadLog implements AutoCloseable {

    private final Path file;
    private FileChannel channel;

    HeadLog(Path file) {
        this.file = file;
    }

    List<SignedTreeHead> open() throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        List<SignedTreeHead> heads = new ArrayList<>();
        long length = channel.size();
        long pos = 0;
        while (pos + SegmentStore.HEADER <= length) {
            ByteBuffer h = ByteBuffer.allocate(SegmentStore.HEADER);
            channel.read(h, pos);
            h.flip();
            int len = h.getInt();
            int crc = h.getInt();
            if (len <= 0 || len > 4096 || pos + SegmentStore.HEADER + len > length) {
                break;
            }
            ByteBuffer data = ByteBuffer.allocate(len);
            channel.read(data, pos + SegmentStore.HEADER);
            if (SegmentStore.crc(len, data.array()) != crc) {
                break;
            }
            heads.add(decode(data.array()));
            pos += SegmentStore.HEADER + len;
        }
        if (pos < length) {
            channel.truncate(pos);
        }
        return heads;
    }

    void append(SignedTreeHead head, boolean force) throws IOException {
        byte[] data = encode(head);
        ByteBuffer buf = ByteBuffer.allocate(SegmentStore.HEADER + data.length);
        buf.putInt(data.length).putInt(SegmentStore.crc(data.length, data)).put(data).flip();
        long pos = channel.size();
        while (buf.hasRemaining()) {
            channel.write(buf, pos + buf.position());
        }
        if (force) {
            channel.force(false);
        }
    }

    static byte[] encode(SignedTreeHead h) {
        byte[] sig = h.signature();
        return ByteBuffer.allocate(8 + 32 + 8 + 8 + 2 + 2 + sig.length).putLong(h.treeSize()).put(h.rootHash())
                .putLong(h.timestamp().physical()).putLong(h.timestamp().logical()).putShort((short) h.timestamp().nodeId())
                .putShort((short) sig.length).put(sig).array();
    }

    static SignedTreeHead decode(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        long size = b.getLong();
        byte[] root = new byte[32];
        b.get(root);
        LogicalTime t = new LogicalTime(b.getLong(), b.getLong(), Short.toUnsignedInt(b.getShort()));
        byte[] sig = new byte[b.getShort()];
        b.get(sig);
        return new SignedTreeHead(size, root, t, sig);
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.force(true);
            channel.close();
        }
    }
}

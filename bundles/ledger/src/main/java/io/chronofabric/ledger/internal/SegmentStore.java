package io.chronofabric.ledger.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ObjLongConsumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Entries on disk: append-only segment files named by the index of their first entry
 * ({@code 00000000000000000000.seg}), each record framed as
 * {@code [length: 4 bytes][CRC32C of length and data: 4 bytes][data]}.
 *
 * <p>{@link #open} scans every segment. The final record of the last segment, if it is cut short or
 * fails its CRC, is a torn write: it is cut off and reported (signed tree heads tell whether it had
 * been acknowledged). Anything else that does not check out (a CRC mismatch,
 * a length past the end of a segment that is not the last, a missing segment) is corruption: the
 * scan stops there and reports the first bad entry. Single writer; reads may run concurrently.
 */
final class SegmentStore implements Closeable {

    static final int HEADER = 8;
    static final int MAX_ENTRY = 64 * 1024 * 1024;
    private static final String SUFFIX = ".seg";

    /** What {@link #open} found. */
    record Recovery(long entries, String torn, long firstBad, String corruption) {
        boolean corrupt() {
            return firstBad >= 0;
        }
    }

    private static final class Segment {
        final long firstIndex;
        final Path path;
        final FileChannel channel;
        long count;
        long bytes;

        Segment(long firstIndex, Path path, FileChannel channel) {
            this.firstIndex = firstIndex;
            this.path = path;
            this.channel = channel;
        }
    }

    private final Path dir;
    private final long segmentBytes;
    private final List<Segment> segments = new ArrayList<>();
    private long[] offsets = new long[1024];
    private long size;
    private long forces;

    SegmentStore(Path dir, long segmentBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
    }

    Path dir() {
        return dir;
    }

    /** Scans the segments, calling {@code onEntry(data, index)} for every good entry in order. */
    Recovery open(ObjLongConsumer<byte[]> onEntry) throws IOException {
        Files.createDirectories(dir);
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
        String torn = null;
        for (int f = 0; f < files.size(); f++) {
            Path path = files.get(f);
            long first;
            try {
                first = Long.parseLong(path.getFileName().toString().replace(SUFFIX, ""));
            } catch (NumberFormatException e) {
                return new Recovery(size, torn, size, "unexpected file " + path.getFileName() + " among the segments");
            }
            if (first != size) {
                return new Recovery(size, torn, size, "segment " + path.getFileName() + " starts at entry " + first
                        + " but entry " + size + " was expected next: a segment is missing");
            }
            boolean last = f == files.size() - 1;
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Segment seg = new Segment(first, path, ch);
            segments.add(seg);
            long length = ch.size();
            long pos = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (pos < length) {
                long index = size;
                if (length - pos < HEADER) {
                    if (last) {
                        torn = cutOff(seg, pos, length, index);
                        break;
                    }
                    return new Recovery(size, torn, index, "entry " + index + " in " + path.getFileName() + " has a partial header");
                }
                header.clear();
                readFully(ch, header, pos);
                header.flip();
                int len = header.getInt();
                int crc = header.getInt();
                if (len < 0 || len > MAX_ENTRY || pos + HEADER + len > length) {
                    if (last && pos + HEADER + (long) Math.max(len, 0) > length && len >= 0 && len <= MAX_ENTRY) {
                        torn = cutOff(seg, pos, length, index);
                        break;
                    }
                    return new Recovery(size, torn, index, "entry " + index + " in " + path.getFileName() + " at byte " + pos
                            + " has an impossible length " + len);
                }
                ByteBuffer data = ByteBuffer.allocate(len);
                readFully(ch, data, pos + HEADER);
                byte[] bytes = data.array();
                if (crc(len, bytes) != crc) {
                    if (last && pos + HEADER + len == length) {
                        // the final record of the log: a write the crash interrupted
                        torn = cutOff(seg, pos, length, index);
                        break;
                    }
                    return new Recovery(size, torn, index, "entry " + index + " in " + path.getFileName() + " at byte " + pos
                            + " fails its CRC check");
                }
                record(index, pos);
                seg.count++;
                pos += HEADER + len;
                seg.bytes = pos;
                size++;
                onEntry.accept(bytes, index);
            }
        }
        return new Recovery(size, torn, -1, null);
    }

    private String cutOff(Segment seg, long pos, long length, long index) throws IOException {
        seg.channel.truncate(pos);
        seg.channel.force(true);
        seg.bytes = pos;
        return "a torn record for entry " + index + " (" + (length - pos) + " bytes at the end of " + seg.path.getFileName()
                + ") was cut off";
    }

    private void record(long index, long pos) {
        if (index >= offsets.length) {
            offsets = Arrays.copyOf(offsets, (int) Math.min(Integer.MAX_VALUE - 8, offsets.length * 2L));
        }
        offsets[(int) index] = pos;
    }

    static int crc(int length, byte[] data) {
        CRC32C c = new CRC32C();
        c.update(ByteBuffer.allocate(4).putInt(0, length));
        c.update(data);
        return (int) c.getValue();
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of segment at byte " + (pos + buf.position()));
            }
        }
    }

    long size() {
        return size;
    }

    /** Writes entries as one contiguous write (rolling to a new segment when full); returns the first index. */
    long append(List<byte[]> entries, boolean force) throws IOException {
        long first = size;
        Segment seg = writableSegment();
        int total = 0;
        for (byte[] e : entries) {
            if (e.length > MAX_ENTRY) {
                throw new IllegalArgumentException("entry of " + e.length + " bytes is larger than the maximum " + MAX_ENTRY);
            }
            total += HEADER + e.length;
        }
        if (seg.bytes > 0 && seg.bytes + total > segmentBytes) {
            seg = roll();
        }
        ByteBuffer buf = ByteBuffer.allocate(total);
        long pos = seg.bytes;
        long index = size;
        for (byte[] e : entries) {
            record(index++, pos + buf.position());
            buf.putInt(e.length).putInt(crc(e.length, e)).put(e);
        }
        buf.flip();
        while (buf.hasRemaining()) {
            seg.channel.write(buf, pos + buf.position());
        }
        if (force) {
            seg.channel.force(false);
            forces++;
        }
        seg.bytes += total;
        seg.count += entries.size();
        size = index;
        return first;
    }

    private Segment writableSegment() throws IOException {
        if (segments.isEmpty()) {
            return roll();
        }
        return segments.get(segments.size() - 1);
    }

    private Segment roll() throws IOException {
        Segment prev = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (prev != null) {
            prev.channel.force(true);
            forces++;
        }
        Path path = dir.resolve(String.format("%020d%s", size, SUFFIX));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Segment s = new Segment(size, path, ch);
        segments.add(s);
        forceDirectory();
        return s;
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can fsync a directory; the segment data itself is forced
        }
    }

    void force() throws IOException {
        if (!segments.isEmpty()) {
            segments.get(segments.size() - 1).channel.force(false);
            forces++;
        }
    }

    /** How many times segment data was forced to disk since {@link #open} (writer thread; read under the ledger's lock). */
    long forces() {
        return forces;
    }

    byte[] read(long index) throws IOException {
        Segment seg = segmentOf(index);
        long pos = offsets[(int) index];
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        readFully(seg.channel, header, pos);
        header.flip();
        int len = header.getInt();
        int crc = header.getInt();
        if (len < 0 || len > MAX_ENTRY) {
            throw new IOException("entry " + index + " has an impossible length " + len + " on disk");
        }
        ByteBuffer data = ByteBuffer.allocate(len);
        readFully(seg.channel, data, pos + HEADER);
        if (crc(len, data.array()) != crc) {
            throw new IOException("entry " + index + " fails its CRC check on disk");
        }
        return data.array();
    }

    private Segment segmentOf(long index) {
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (segments.get(mid).firstIndex <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return segments.get(lo);
    }

    int segmentCount() {
        return segments.size();
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Segment s : segments) {
            try {
                s.channel.force(true);
                s.channel.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        segments.clear();
        if (first != null) {
            throw first;
        }
    }
}

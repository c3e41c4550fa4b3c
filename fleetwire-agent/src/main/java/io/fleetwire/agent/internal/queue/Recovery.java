package io.fleetwire.agent.internal.queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a queue directory back on opening: scans every segment file in seq order into the
 * {@link Backlog}, marking dead what the persisted watermark covers. Damage never throws:
 * <ul>
 *   <li>a damaged tail of the newest segment is the write a crash interrupted (it was never
 *   acknowledged to its appender, whose fsync had not returned): the file is cut there, logged, not
 *   counted;</li>
 *   <li>damage anywhere else is counted as lost records and logged, and the valid records around it
 *   are kept (a damaged tail of an older segment counts as one, its true number being unknown);</li>
 *   <li>an older segment file without a single valid record (zero length, garbage) is left out and
 *   deleted.</li>
 * </ul>
 * The newest segment is then fsynced: a process killed without a power loss leaves its unsynced
 * writes in the page cache, where they look durable, and once they are sent their seqs must never be
 * given out again.
 */
final class Recovery {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    /**
     * @param last        the newest segment, or null if there is none
     * @param lostRecords records lost to damage
     * @param emptyFiles  segment files without a single valid record, left out of the backlog, to delete (all
     *                    but the newest, which is kept if correctly named: the queue may write on in it)
     */
    record Result(Segment last, long lostRecords, List<Path> emptyFiles) {
    }

    private Recovery() {
    }

    static Result run(Path directory, long watermark, Backlog backlog) throws IOException {
        List<Path> files = segmentFiles(directory);
        List<Path> empty = new ArrayList<>();
        SegmentScanner scanner = new SegmentScanner();
        Segment last = null;
        long lost = 0;
        for (int n = 0; n < files.size(); n++) {
            Path path = files.get(n);
            boolean newest = n == files.size() - 1;
            long named = Segment.parseName(path.getFileName().toString());
            // the name, unless it is at or below seqs already read (only damage does that): such records are refused
            Segment segment = new Segment(path, Math.max(Math.max(1, named), last == null ? 1 : last.endSeq()));
            try (RandomAccessFile file = new RandomAccessFile(path.toFile(), newest ? "rw" : "r")) {
                SegmentScanner.Result r = scanner.scan(file, segment.baseSeq,
                        (seq, offset, length, kind) -> backlog.add(segment, seq, offset, length, kind, seq <= watermark));
                lost += r.lostRecords();
                if (r.lostRecords() > 0) {
                    log.warn("segment {} is damaged: {} records lost, the records around them kept", path, r.lostRecords());
                }
                if (r.damagedTail() && newest) {
                    log.warn("segment {} ends in a write cut short by a crash: {} bytes cut off", path,
                            file.length() - r.validEnd());
                    file.setLength(r.validEnd());
                } else if (r.damagedTail()) {
                    lost++;
                    log.warn("segment {} is damaged from byte {} to its end ({} bytes); the records there are lost",
                            path, r.validEnd(), file.length() - r.validEnd());
                }
                segment.size(newest ? r.validEnd() : file.length());
                if (newest) {
                    file.getFD().sync();
                }
            }
            if (segment.endSeq() == segment.baseSeq && (!newest || segment.baseSeq != named)) {
                empty.add(path);
                continue;
            }
            backlog.addSegment(segment);
            last = segment;
        }
        return new Result(last, lost, empty);
    }

    private static List<Path> segmentFiles(Path directory) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(directory)) {
            list.filter(p -> Segment.parseName(p.getFileName().toString()) >= 0 && Files.isRegularFile(p))
                    .forEach(files::add);
        }
        files.sort(Comparator.comparingLong(p -> Segment.parseName(p.getFileName().toString())));
        return files;
    }
}

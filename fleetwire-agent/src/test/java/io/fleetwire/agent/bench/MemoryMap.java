package io.fleetwire.agent.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process's resident memory grouped by what it is: {@code /proc/<pid>/smaps} mappings, named by
 * file (libjvm, the CDS/AOT archive, other libraries, jars) and, for anonymous memory, by the
 * address ranges the JVM itself reports ({@code jcmd VM.info}: Java heap, compressed class space,
 * code heaps; {@code jcmd VM.metaspace vslist}: metaspace nodes). What is left is told apart by its
 * neighbours, a heuristic: a writable mapping right above an inaccessible one is a thread stack (its
 * guard pages), a 64 MiB-aligned one right below an inaccessible one is a glibc malloc arena.
 */
final class MemoryMap {

    record Mapping(long start, long end, String perms, String path, long rssKb) {
        boolean anonymous() {
            return path.isEmpty();
        }
    }

    record Range(String group, long start, long end) {
        boolean contains(Mapping m) {
            return m.start() >= start && m.start() < end;
        }
    }

    private static final Pattern HEADER = Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) (\\S{4}) \\S+ \\S+ \\S+\\s*(.*)$");
    private static final Pattern HEAP = Pattern.compile("Heap address: 0x([0-9a-f]+), size: (\\d+) MB");
    private static final Pattern CDS = Pattern.compile("CDS archive\\(s\\) mapped at: \\[0x([0-9a-f]+)-0x[0-9a-f]+-0x([0-9a-f]+)\\)");
    private static final Pattern CLASS_SPACE = Pattern.compile("Compressed class space mapped at: 0x([0-9a-f]+)-0x([0-9a-f]+)");
    private static final Pattern CODE_HEAP = Pattern.compile("bounds \\[0x([0-9a-f]+), 0x[0-9a-f]+, 0x([0-9a-f]+)\\]");
    private static final Pattern META_NODE = Pattern.compile("node #\\d+: base 0x([0-9a-f]+): reserved=([0-9.]+) KB");

    private MemoryMap() {
    }

    static List<Mapping> parseSmaps(String smaps) {
        List<Mapping> out = new ArrayList<>();
        long start = 0;
        long end = 0;
        String perms = null;
        String path = "";
        long rss = 0;
        for (String line : smaps.split("\n")) {
            Matcher h = HEADER.matcher(line);
            if (h.matches()) {
                if (perms != null) {
                    out.add(new Mapping(start, end, perms, path, rss));
                }
                start = Long.parseUnsignedLong(h.group(1), 16);
                end = Long.parseUnsignedLong(h.group(2), 16);
                perms = h.group(3);
                path = h.group(4).strip();
                rss = 0;
            } else if (line.startsWith("Rss:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        if (perms != null) {
            out.add(new Mapping(start, end, perms, path, rss));
        }
        return out;
    }

    /** The JVM's own ranges, from {@code jcmd VM.info} and {@code jcmd VM.metaspace vslist} output. */
    static List<Range> jvmRanges(String vmInfo, String metaspace) {
        List<Range> out = new ArrayList<>();
        Matcher m = HEAP.matcher(vmInfo);
        if (m.find()) {
            long a = Long.parseUnsignedLong(m.group(1), 16);
            out.add(new Range("Java heap", a, a + Long.parseLong(m.group(2)) * 1024 * 1024));
        }
        m = CDS.matcher(vmInfo);
        if (m.find()) {
            out.add(new Range("CDS/AOT archive", hex(m.group(1)), hex(m.group(2))));
        }
        m = CLASS_SPACE.matcher(vmInfo);
        if (m.find()) {
            out.add(new Range("metaspace", hex(m.group(1)), hex(m.group(2))));
        }
        m = CODE_HEAP.matcher(vmInfo);
        while (m.find()) {
            out.add(new Range("code cache", hex(m.group(1)), hex(m.group(2))));
        }
        m = META_NODE.matcher(metaspace);
        while (m.find()) {
            long a = hex(m.group(1));
            out.add(new Range("metaspace", a, a + (long) (Double.parseDouble(m.group(2)) * 1024)));
        }
        return out;
    }

    /** Resident kB per group, largest first. */
    static Map<String, Long> group(List<Mapping> maps, List<Range> ranges) {
        Map<String, Long> kb = new LinkedHashMap<>();
        for (int i = 0; i < maps.size(); i++) {
            Mapping m = maps.get(i);
            Mapping before = i > 0 ? maps.get(i - 1) : null;
            Mapping after = i + 1 < maps.size() ? maps.get(i + 1) : null;
            kb.merge(groupOf(m, before, after, ranges), m.rssKb(), Long::sum);
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        kb.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static String groupOf(Mapping m, Mapping before, Mapping after, List<Range> ranges) {
        for (Range r : ranges) {
            if (r.contains(m)) {
                return r.group();
            }
        }
        String p = m.path();
        if (p.endsWith("/libjvm.so")) {
            return "libjvm.so";
        }
        if (p.endsWith(".jsa") || p.endsWith(".aot")) {
            return "CDS/AOT archive";
        }
        if (p.contains(".so")) {
            return "other shared libraries";
        }
        if (p.endsWith(".jar") || p.endsWith("/modules")) {
            return "jars and the JDK modules file";
        }
        if (p.equals("[heap]")) {
            return "malloc (main arena)";
        }
        if (p.equals("[stack]")) {
            return "thread stacks";
        }
        if (!m.anonymous()) {
            return "other files";
        }
        boolean guardBelow = before != null && before.end() == m.start() && before.perms().startsWith("---");
        boolean reserveAbove = after != null && after.start() == m.end() && after.perms().startsWith("---");
        if (m.perms().startsWith("rw") && m.start() % (64L << 20) == 0 && reserveAbove) {
            return "malloc arenas";
        }
        if (m.perms().startsWith("rw") && guardBelow) {
            return "thread stacks";
        }
        return "other anonymous";
    }

    private static long hex(String s) {
        return Long.parseUnsignedLong(s, 16);
    }
}

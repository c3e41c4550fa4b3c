package io.fleetwire.agent.internal.queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32C;

/**
 * The acknowledged watermark on disk: every seq at or below it was acknowledged (or dropped), so it
 * is not replayed after a restart. Written atomically: a temp file, fsync, rename over the old one,
 * fsync of the directory; so it is always a whole old value or a whole new one. 16 bytes: magic
 * {@code FWWM}, the watermark (long), CRC32C of the first 12 bytes. An unreadable file counts as 0:
 * everything still on disk is replayed, which is safe (the hub de-duplicates by seq).
 *
 * <p>Threading: {@link #persist} is synchronized; it is called by the housekeeper and on open/close.
 */
final class WatermarkFile {

    static final String NAME = "acked.watermark";
    private static final Logger log = LoggerFactory.getLogger(WatermarkFile.class);
    private static final int MAGIC = 0x4657574d;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final Path directory;
    private final Path file;
    private final Path temp;
    private long persisted;

    WatermarkFile(Path directory) {
        this.directory = directory;
        this.file = directory.resolve(NAME);
        this.temp = directory.resolve(NAME + ".tmp");
    }

    /** Reads the file (0 if absent or damaged) and removes a temp file a crash left behind. */
    synchronized long read() throws IOException {
        Files.deleteIfExists(temp);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return persisted = 0;
        }
        if (bytes.length != 16 || (int) INT.get(bytes, 0) != MAGIC || (int) INT.get(bytes, 12) != crc(bytes)
                || (long) LONG.get(bytes, 4) < 0) {
            log.warn("the acknowledged watermark in {} is damaged; acknowledged entries still on disk will be sent again",
                    file);
            return persisted = 0;
        }
        return persisted = (long) LONG.get(bytes, 4);
    }

    /** Writes {@code watermark} durably if it is above the one on disk. */
    synchronized void persist(long watermark) throws IOException {
        if (watermark <= persisted) {
            return;
        }
        byte[] bytes = new byte[16];
        INT.set(bytes, 0, MAGIC);
        LONG.set(bytes, 4, watermark);
        INT.set(bytes, 12, crc(bytes));
        // FileOutputStream rather than a FileChannel: an interrupt does not close it
        try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
            out.write(bytes);
            out.getFD().sync();
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DirectorySync.sync(directory);
        persisted = watermark;
    }

    synchronized long persisted() {
        return persisted;
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 12);
        return (int) crc.getValue();
    }
}

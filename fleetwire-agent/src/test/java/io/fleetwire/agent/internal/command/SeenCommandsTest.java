package io.fleetwire.agent.internal.command;

import io.fleetwire.protocol.CommandId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class SeenCommandsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void claim_isTrueOnceAndFalseForEveryRepeat(@TempDir Path dir) {
        try (SeenCommands s = new SeenCommands(dir.resolve("seen"), CLOCK)) {
            CommandId id = CommandId.random();
            assertThat(s.claim(id, NOW.plusSeconds(60))).isTrue();
            assertThat(s.claim(id, NOW.plusSeconds(60))).isFalse();
            assertThat(s.claim(CommandId.random(), NOW.plusSeconds(60))).isTrue();
        }
    }

    @Test
    void claimedIds_surviveARestart(@TempDir Path dir) {
        CommandId id = CommandId.random();
        try (SeenCommands s = new SeenCommands(dir.resolve("seen"), CLOCK)) {
            assertThat(s.claim(id, NOW.plusSeconds(60))).isTrue();
        }
        try (SeenCommands s = new SeenCommands(dir.resolve("seen"), CLOCK)) {
            assertThat(s.claim(id, NOW.plusSeconds(60))).as("a command delivered again after a restart").isFalse();
        }
    }

    @Test
    void aTornLastLine_isIgnored_andTheIdsBeforeItAreKept(@TempDir Path dir) throws Exception {
        CommandId kept = CommandId.random();
        try (SeenCommands s = new SeenCommands(dir.resolve("seen"), CLOCK)) {
            s.claim(kept, NOW.plusSeconds(60));
        }
        Files.writeString(dir.resolve("seen"), "6b0f4c1e-2d3a-4b5c-8d7e", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (SeenCommands s = new SeenCommands(dir.resolve("seen"), CLOCK)) {
            assertThat(s.contains(kept)).isTrue();
            assertThat(s.size()).isEqualTo(1);
        }
    }

    @Test
    void aClaimAfterATornLine_survivesTheNextRestart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("seen");
        try (SeenCommands s = new SeenCommands(file, CLOCK)) {
            s.claim(CommandId.random(), NOW.plusSeconds(60));
        }
        Files.writeString(file, "6b0f4c1e-2d3a", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        CommandId next = CommandId.random();
        try (SeenCommands s = new SeenCommands(file, CLOCK)) {
            assertThat(s.claim(next, NOW.plusSeconds(60))).isTrue();
        }
        try (SeenCommands s = new SeenCommands(file, CLOCK)) {
            assertThat(s.contains(next)).as("the claim written after the torn line").isTrue();
        }
    }

    @Test
    void claimedButNotDone_isUnfinishedAcrossARestart(@TempDir Path dir) {
        Path file = dir.resolve("seen");
        CommandId finished = CommandId.random();
        CommandId interrupted = CommandId.random();
        try (SeenCommands s = new SeenCommands(file, CLOCK)) {
            s.claim(finished, NOW.plusSeconds(60));
            s.claim(interrupted, NOW.plusSeconds(60));
            s.done(finished);
        }
        try (SeenCommands s = new SeenCommands(file, CLOCK)) {
            assertThat(s.unfinished()).containsExactly(interrupted);
            s.done(interrupted);
            assertThat(s.unfinished()).isEmpty();
        }
    }

    @Test
    void idsLongPastTheirExpiry_areForgotten_andTheJournalIsCompacted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("seen");
        try (SeenCommands s = new SeenCommands(file, CLOCK)) {
            for (int i = 0; i < 100; i++) {
                s.claim(CommandId.random(), NOW.minus(Duration.ofDays(3)));
            }
        }
        CommandId live = CommandId.random();
        try (SeenCommands s = new SeenCommands(file, CLOCK)) {
            assertThat(s.size()).isZero();
            s.claim(live, NOW.plusSeconds(60));
        }
        assertThat(Files.readAllLines(file)).hasSizeLessThan(20);
        try (SeenCommands s = new SeenCommands(file, CLOCK)) {
            assertThat(s.contains(live)).isTrue();
        }
    }
}

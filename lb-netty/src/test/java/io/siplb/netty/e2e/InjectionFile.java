package io.siplb.netty.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * SIPp injection files ({@code -inf}): field 0 of line N is the user of call N, so a test knows
 * exactly which AORs it sent and can send the same list again.
 */
final class InjectionFile {
    private InjectionFile() {}

    /** {@code count} distinct user names: prefix + zero-padded index (e.g. u0000 .. u0999). */
    static List<String> users(String prefix, int count) {
        int width = Integer.toString(Math.max(0, count - 1)).length();
        return IntStream.range(0, count)
                .mapToObj(i -> prefix + String.format("%0" + width + "d", i))
                .toList();
    }

    /**
     * Writes {@code users} as a SEQUENTIAL injection file (call N takes line N; SIPp wraps
     * around after the last line, so {@code -m} should equal the number of users).
     */
    static Path write(Path file, List<String> users) {
        List<String> lines = new ArrayList<>(users.size() + 1);
        lines.add("SEQUENTIAL");
        for (String u : users) {
            if (u.contains(";") || u.contains("\n")) {
                throw new IllegalArgumentException("user: " + u + " (expected: no ';' or newline)");
            }
            lines.add(u + ";");
        }
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.siplb.netty.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where one e2e test class writes its files: {@code target/e2e/<name>-<time>-<pid>/}. Kept after
 * the run (unlike {@code @TempDir}) because SIPp's error logs, traces and Kamailio's log are
 * what one reads when an e2e test fails; {@code mvn clean} removes them.
 */
public final class RunDirectory {
    private RunDirectory() {}

    public static Path create(String name) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dir = Path.of("target", "e2e", name + "-" + stamp + "-" + ProcessHandle.current().pid())
                .toAbsolutePath();
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

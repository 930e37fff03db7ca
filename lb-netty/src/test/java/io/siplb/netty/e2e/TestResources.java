package io.siplb.netty.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Copies e2e resources (SIPp scenarios, Kamailio configs, lab scripts) from the test classpath
 * to a directory: the external tools need real files, and a copy per test run keeps one run's
 * edits and outputs away from the next.
 */
final class TestResources {
    private TestResources() {}

    /** Copies classpath resource {@code /e2e/<relative>} to {@code dir/<file name>}. */
    static Path copy(String relative, Path dir) {
        String resource = "/e2e/" + relative;
        Path target = dir.resolve(Path.of(relative).getFileName().toString());
        try (InputStream in = TestResources.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            Files.createDirectories(dir);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("copy " + resource + " to " + dir, e);
        }
    }

    /** Like {@link #copy} and makes the file executable (scripts). */
    static Path copyExecutable(String relative, Path dir) {
        Path target = copy(relative, dir);
        try {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("chmod " + target, e);
        }
    }

    /** The scenario file {@code e2e/sipp/<name>} copied to {@code dir}. */
    static Path scenario(String name, Path dir) {
        return copy("sipp/" + name, dir);
    }
}

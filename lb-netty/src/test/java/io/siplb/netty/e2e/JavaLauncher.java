package io.siplb.netty.e2e;

import java.nio.file.Path;

/**
 * The {@code java} binary of the running test JVM, for tests that start siplb in a JVM of its
 * own, and the option every such start needs: Netty's native epoll transport loads a library,
 * which JDK 22 and later allow without a warning on stderr only when native access is enabled
 * (JDK 17 accepts the option too). The warning would otherwise land in logs tests read.
 */
public final class JavaLauncher {

    /** Allows Netty's native transport to load its library without a warning. */
    public static final String ENABLE_NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    private JavaLauncher() {}

    /** The path of the test JVM's {@code java}. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

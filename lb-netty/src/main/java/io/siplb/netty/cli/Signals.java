package io.siplb.netty.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The signals {@code siplb run} handles: SIGTERM and SIGINT stop it cleanly (the JVM's own exit
 * after SIGTERM is 143, which scripts and tests read as a failure), SIGHUP reloads the
 * configuration as daemons do ({@code systemctl reload siplb} sends it).
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported, present in every OpenJDK) is reached by
 * reflection so that the build has no warning about proprietary API. Handlers run on the JVM's
 * signal thread: they must only hand the work off.
 */
final class Signals {

    private Signals() {}

    /**
     * Runs {@code action} on SIGTERM and SIGINT; where the signals cannot be handled, a shutdown
     * hook runs it instead (then the exit code is the JVM's).
     */
    static void onTermination(Runnable action) {
        if (!handle(action, "TERM", "INT")) {
            Runtime.getRuntime().addShutdownHook(new Thread(action, "siplb-shutdown"));
        }
    }

    /**
     * Runs {@code action} on each SIGHUP; false when SIGHUP cannot be handled (it then keeps the
     * JVM's default, exit, and {@code POST /reload} is the way to reload).
     */
    static boolean onHangup(Runnable action) {
        return handle(action, "HUP");
    }

    private static boolean handle(Runnable action, String... names) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            action.run();
                        }
                        return null;
                    });
            Method handle = signal.getMethod("handle", signal, handlerType);
            for (String name : names) {
                handle.invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}

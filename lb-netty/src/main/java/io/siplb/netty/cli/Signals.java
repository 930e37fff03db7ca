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
     * Runs {@code action} on SIGTERM and SIGINT; where they cannot be handled (or one was inherited
     * as ignored, as SIGINT is for a background job), a shutdown hook runs it as well, so
     * {@code action} must bear running twice.
     */
    static void onTermination(Runnable action) {
        if (!handle(action, "TERM", "INT")) {
            Runtime.getRuntime().addShutdownHook(new Thread(action, "siplb-shutdown"));
        }
    }

    /**
     * Runs {@code action} on each SIGHUP; false when SIGHUP cannot be handled (it then keeps its
     * disposition, and {@code POST /reload} is the way to reload). That includes a SIGHUP this
     * process inherited as ignored ({@code nohup}): the JVM then leaves it ignored and installs
     * nothing, without an error.
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
            Object ignored = handlerType.getField("SIG_IGN").get(null);
            boolean all = true;
            for (String name : names) {
                // the previous handler: SIG_IGN when the JVM found the signal ignored and kept it so
                all &= handle.invoke(null, signal.getConstructor(String.class).newInstance(name), handler) != ignored;
            }
            return all;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}

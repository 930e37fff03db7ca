package io.siplb.netty.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Turns SIGTERM and SIGINT into a call instead of the JVM's default exit, so that {@code run}
 * can close its sockets and return 0 (the JVM's own exit after SIGTERM is 143, which scripts and
 * tests read as a failure).
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported, present in every OpenJDK) is reached by
 * reflection so that the build has no warning about proprietary API; where it is missing or the
 * signal cannot be handled, a shutdown hook runs the action instead (then the exit code is the
 * JVM's).
 */
final class TerminationSignals {

    private TerminationSignals() {}

    static void onTermination(Runnable action) {
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
            for (String name : new String[] {"TERM", "INT"}) {
                handle.invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Runtime.getRuntime().addShutdownHook(new Thread(action, "siplb-shutdown"));
        }
    }
}

package io.siplb.netty.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * SIGHUP → reload the configuration, as daemons do ({@code systemctl reload siplb} sends it).
 * Reached through {@code sun.misc.Signal} by reflection like {@link TerminationSignals}; where that
 * is missing, SIGHUP keeps the JVM's default (exit) and {@code POST /reload} is the way to reload,
 * which is logged once at start.
 */
final class HangupSignal {

    private HangupSignal() {}

    /** Runs {@code action} on each SIGHUP (on the JVM's signal thread: it must only hand the work off). */
    static boolean onHangup(Runnable action) {
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
            handle.invoke(null, signal.getConstructor(String.class).newInstance("HUP"), handler);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}

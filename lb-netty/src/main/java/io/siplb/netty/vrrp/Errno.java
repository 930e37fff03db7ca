package io.siplb.netty.vrrp;

import com.sun.jna.LastErrorException;

/** errno as text for messages: {@code EPERM (Operation not permitted)}. */
final class Errno {

    private Errno() {}

    static String describe(int errno) {
        String name = switch (errno) {
            case LibC.EPERM -> "EPERM";
            case LibC.EACCES -> "EACCES";
            case LibC.EEXIST -> "EEXIST";
            case LibC.ENODEV -> "ENODEV";
            case LibC.EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            case LibC.EAGAIN -> "EAGAIN";
            case LibC.EINTR -> "EINTR";
            default -> "errno " + errno;
        };
        String text;
        try {
            text = LibC.INSTANCE.strerror(errno);
        } catch (RuntimeException | LinkageError e) {
            text = null;
        }
        return text == null ? name : name + " (" + text + ")";
    }

    static String describe(LastErrorException e) {
        return describe(e.getErrorCode());
    }

    /** Whether the error says a capability is missing. */
    static boolean isPermission(int errno) {
        return errno == LibC.EPERM || errno == LibC.EACCES;
    }
}

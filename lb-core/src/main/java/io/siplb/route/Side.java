package io.siplb.route;

/** Which side a request comes from: a configured backend is inside, everything else outside. */
public enum Side {
    INSIDE,
    OUTSIDE
}

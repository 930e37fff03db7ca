package io.siplb.netty.admin;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;

/**
 * One endpoint of the admin API. Runs on the admin event loop: it must answer from in-memory
 * state at once (a counter, a flag, a snapshot), never block.
 */
@FunctionalInterface
public interface AdminRoute {

    /** The response to {@code request}; the caller sends it and releases the request. */
    FullHttpResponse handle(FullHttpRequest request, ByteBufAllocator alloc);
}

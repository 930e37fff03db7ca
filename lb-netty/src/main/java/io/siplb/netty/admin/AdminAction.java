package io.siplb.netty.admin;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;

import java.util.concurrent.CompletionStage;

/**
 * An admin endpoint that answers later: a command (drain, reload) or a read of state owned by
 * another thread (the health loop). The admin event loop only starts it; the work runs where it
 * belongs and the response is written when the stage completes, so the admin loop (shared with
 * the TCP acceptor) never blocks on file I/O or another thread.
 *
 * <p>Registered with {@link AdminServer.Builder#action} for an exact path or, when the path
 * ends in {@code /}, for every path below it ({@code /backends/} serves
 * {@code /backends/b1/drain}). A request body is not passed on: the commands take none.
 */
@FunctionalInterface
public interface AdminAction {

    /**
     * Starts handling {@code method} on {@code path} (the request path, no query). A stage that
     * completes exceptionally is answered 500 with the exception's message.
     */
    CompletionStage<FullHttpResponse> handle(HttpMethod method, String path, ByteBufAllocator alloc);
}

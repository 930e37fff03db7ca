package io.siplb.netty.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** Small plain-text responses for admin routes. */
public final class AdminResponses {

    private AdminResponses() {}

    /** A {@code text/plain} response with {@code body} and a trailing newline. */
    public static FullHttpResponse text(HttpResponseStatus status, String body, ByteBufAllocator alloc) {
        ByteBuf content = alloc.buffer(body.length() + 1);
        content.writeCharSequence(body, StandardCharsets.UTF_8);
        content.writeByte('\n');
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return response;
    }
}

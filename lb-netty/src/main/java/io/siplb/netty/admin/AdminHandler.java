package io.siplb.netty.admin;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Dispatches admin requests by path to their {@link AdminRoute}: 404 for an unknown path, 405
 * for a method other than GET or HEAD, 400 for a request the codec could not decode.
 * Keep-alive is honoured. Stateless and {@link Sharable}.
 */
@Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final Map<String, AdminRoute> routes;

    AdminHandler(Map<String, AdminRoute> routes) {
        this.routes = Map.copyOf(requireNonNull(routes, "routes"));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        FullHttpResponse response;
        if (!request.decoderResult().isSuccess()) {
            response = AdminResponses.text(HttpResponseStatus.BAD_REQUEST, "bad request", ctx.alloc());
        } else {
            AdminRoute route = routes.get(new QueryStringDecoder(request.uri()).path());
            if (route == null) {
                response = AdminResponses.text(HttpResponseStatus.NOT_FOUND, "not found", ctx.alloc());
            } else if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
                response = AdminResponses.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed", ctx.alloc());
                response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            } else {
                response = route.handle(request, ctx.alloc());
            }
        }
        if (HttpMethod.HEAD.equals(request.method())) {
            response.content().clear(); // Content-Length stays: it is what GET would send
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // an admin client that misbehaves loses its connection, nothing else
    }
}

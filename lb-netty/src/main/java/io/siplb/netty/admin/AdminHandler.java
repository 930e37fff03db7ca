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

import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Dispatches admin requests by path to their {@link AdminRoute}: 404 for an unknown path, 405
 * for a method other than GET or HEAD, 400 for a request the codec could not decode.
 * Keep-alive is honoured. Stateless and {@link Sharable}.
 */
@Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final Map<String, AdminRoute> routes;
    private final AdminAuth auth;
    private final List<ActionEntry> actions;

    AdminHandler(Map<String, AdminRoute> routes) {
        this(routes, AdminAuth.OPEN);
    }

    AdminHandler(Map<String, AdminRoute> routes, AdminAuth auth) {
        this(routes, auth, List.of());
    }

    AdminHandler(Map<String, AdminRoute> routes, AdminAuth auth, List<ActionEntry> actions) {
        this.routes = Map.copyOf(requireNonNull(routes, "routes"));
        this.auth = requireNonNull(auth, "auth");
        this.actions = List.copyOf(requireNonNull(actions, "actions"));
    }

    /** An {@link AdminAction} with its path (a prefix when it ends in '/') and methods. */
    record ActionEntry(String path, Set<HttpMethod> methods, AdminAction action) {
        boolean matches(String requestPath) {
            return path.endsWith("/") ? requestPath.startsWith(path) && requestPath.length() > path.length()
                    : path.equals(requestPath);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        FullHttpResponse response;
        if (!request.decoderResult().isSuccess()) {
            response = AdminResponses.text(HttpResponseStatus.BAD_REQUEST, "bad request", ctx.alloc());
        } else {
            String path = new QueryStringDecoder(request.uri()).path();
            AdminRoute route = routes.get(path);
            if (!auth.allows(request, path)) {
                // before the 404, so that a prober without the token learns nothing about paths
                response = AdminResponses.text(HttpResponseStatus.UNAUTHORIZED, "unauthorized", ctx.alloc());
                response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"siplb\"");
            } else if (route == null && action(path) != null) {
                act(ctx, request, path, action(path));
                return;
            } else if (route == null) {
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

    private ActionEntry action(String path) {
        for (ActionEntry e : actions) {
            if (e.matches(path)) {
                return e;
            }
        }
        return null;
    }

    /** Starts an action; its response is written when it completes (the request is released before). */
    private static void act(ChannelHandlerContext ctx, FullHttpRequest request, String path, ActionEntry entry) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!entry.methods().contains(request.method())) {
            FullHttpResponse response = AdminResponses.text(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method not allowed", ctx.alloc());
            response.headers().set(HttpHeaderNames.ALLOW, String.join(", ",
                    entry.methods().stream().map(HttpMethod::name).sorted().toList()));
            send(ctx, response, keepAlive);
            return;
        }
        entry.action().handle(request.method(), path, ctx.alloc()).whenComplete((response, failure) -> {
            FullHttpResponse r = response != null ? response : AdminResponses.text(
                    HttpResponseStatus.INTERNAL_SERVER_ERROR, "failed: " + failure, ctx.alloc());
            send(ctx, r, keepAlive);
        });
    }

    private static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
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

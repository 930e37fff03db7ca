package io.siplb.netty.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.siplb.netty.Transports;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The admin HTTP listener (loopback by default, see {@code AdminConfig}): a route table from path
 * to {@link AdminRoute}, served with Netty's HTTP codec. {@code /health} is built in; more routes
 * ({@code /metrics}, {@code /backends}) are added with {@link Builder#route} before binding.
 *
 * <p>{@code GET /health} answers 200 "ok" once the SIP listeners are bound, 503 "starting"
 * before: what a load balancer, keepalived's {@code track_script} or systemd's readiness check
 * should ask.
 */
public final class AdminServer {

    /** Admin requests carry no body worth more than this. */
    static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final Channel channel;

    private AdminServer(Channel channel) {
        this.channel = channel;
    }

    /** A route table with {@code /health} answering from {@code ready}. */
    public static Builder builder(BooleanSupplier ready) {
        return new Builder(ready);
    }

    /** The address actually bound. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Closes the listener; returns without waiting. */
    public void close() {
        channel.close();
    }

    /** Collects routes, then binds. */
    public static final class Builder {
        private final Map<String, AdminRoute> routes = new LinkedHashMap<>();
        private AdminAuth auth = AdminAuth.OPEN;
        private final List<AdminHandler.ActionEntry> actions = new ArrayList<>();

        private Builder(BooleanSupplier ready) {
            requireNonNull(ready, "ready");
            routes.put("/health", (request, alloc) -> ready.getAsBoolean()
                    ? AdminResponses.text(HttpResponseStatus.OK, "ok", alloc)
                    : AdminResponses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "starting", alloc));
        }

        /** Adds or replaces the route for {@code path} (exact match, no query). */
        public Builder route(String path, AdminRoute route) {
            routes.put(requireNonNull(path, "path"), requireNonNull(route, "route"));
            return this;
        }

        /**
         * Adds an {@link AdminAction} for {@code path} (every path below it when it ends in
         * {@code /}) and these methods; other methods get 405. Exact routes win over actions.
         */
        public Builder action(String path, Set<HttpMethod> methods, AdminAction action) {
            actions.add(new AdminHandler.ActionEntry(requireNonNull(path, "path"), Set.copyOf(methods),
                    requireNonNull(action, "action")));
            return this;
        }

        /** Who may use the routes ({@link AdminAuth#OPEN} by default). */
        public Builder auth(AdminAuth auth) {
            this.auth = requireNonNull(auth, "auth");
            return this;
        }

        /**
         * Binds {@code address} on {@code group}; waits for the result (call at start-up, not on
         * an event loop).
         */
        public AdminServer bind(EventLoopGroup group, InetSocketAddress address) throws Exception {
            AdminHandler handler = new AdminHandler(routes, auth, actions);
            Channel ch = new ServerBootstrap()
                    .group(group)
                    .channel(Transports.serverSocketChannel())
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(new HttpServerCodec(),
                                    new HttpObjectAggregator(MAX_REQUEST_BYTES), handler);
                        }
                    })
                    .bind(address).sync().channel();
            return new AdminServer(ch);
        }
    }
}

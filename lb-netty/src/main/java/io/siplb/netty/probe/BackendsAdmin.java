package io.siplb.netty.probe;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.siplb.netty.admin.AdminResponses;
import io.siplb.netty.admin.AdminServer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The backend endpoints of the admin API, answered from the health loop:
 * <ul>
 *   <li>{@code GET /backends}: JSON ({@link BackendsJson}) with each backend's id, URI, health
 *       state, since when, last probe round-trip time and status, weight and drain;</li>
 *   <li>{@code POST /backends/ID/drain}: no new AORs or dialogs for that backend, its existing
 *       ones continue; {@code POST /backends/ID/undrain} ends it. 404 for an unknown id.</li>
 * </ul>
 */
public final class BackendsAdmin {

    private BackendsAdmin() {}

    /** Adds the endpoints to {@code admin}. */
    public static AdminServer.Builder register(AdminServer.Builder admin, HealthMonitor health) {
        admin.action("/backends", Set.of(HttpMethod.GET, HttpMethod.HEAD), (method, path, alloc) ->
                health.statuses().thenApply(list -> json(BackendsJson.write(list, System.nanoTime(), Instant.now()),
                        alloc)));
        admin.action("/backends/", Set.of(HttpMethod.POST), (method, path, alloc) -> command(health, path, alloc));
        return admin;
    }

    private static CompletionStage<FullHttpResponse> command(HealthMonitor health, String path, ByteBufAllocator alloc) {
        // /backends/{id}/drain | /backends/{id}/undrain
        String rest = path.substring("/backends/".length());
        int slash = rest.lastIndexOf('/');
        String verb = slash < 0 ? "" : rest.substring(slash + 1);
        String id = slash < 0 ? rest : rest.substring(0, slash);
        boolean drain = verb.equals("drain");
        if (id.isEmpty() || !(drain || verb.equals("undrain"))) {
            return CompletableFuture.completedFuture(AdminResponses.text(HttpResponseStatus.NOT_FOUND,
                    "not found (expected: POST /backends/ID/drain or /backends/ID/undrain)", alloc));
        }
        CompletableFuture<Boolean> done = drain ? health.drain(id) : health.undrain(id);
        return done.thenApply(known -> known
                ? AdminResponses.text(HttpResponseStatus.OK, "backend " + id + (drain ? " draining" : " undrained"), alloc)
                : AdminResponses.text(HttpResponseStatus.NOT_FOUND, "no backend with id '" + id + "'", alloc));
    }

    private static FullHttpResponse json(String body, ByteBufAllocator alloc) {
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuf content = alloc.buffer(bytes.length).writeBytes(bytes);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return response;
    }
}

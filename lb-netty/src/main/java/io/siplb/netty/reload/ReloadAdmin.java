package io.siplb.netty.reload;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.siplb.netty.admin.AdminResponses;
import io.siplb.netty.admin.AdminServer;

import java.util.Set;

/**
 * {@code POST /reload}: reloads the configuration file ({@link ConfigReloader}). 200 with what
 * changed, or 400 with every problem ({@code file:line:col: key: message}) while the previous
 * configuration keeps running.
 */
public final class ReloadAdmin {

    private ReloadAdmin() {}

    /** Adds the endpoint to {@code admin}. */
    public static AdminServer.Builder register(AdminServer.Builder admin, ConfigReloader reloader) {
        return admin.action("/reload", Set.of(HttpMethod.POST), (method, path, alloc) ->
                reloader.reload("admin POST /reload").thenApply(r -> AdminResponses.text(
                        r.applied() ? HttpResponseStatus.OK : HttpResponseStatus.BAD_REQUEST, r.text(), alloc)));
    }
}

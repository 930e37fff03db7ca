package io.siplb.netty.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.siplb.netty.admin.AdminResponses;
import io.siplb.netty.admin.AdminRoute;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/**
 * {@code GET /metrics}: the registry in the format the scraper asks for in {@code Accept}:
 * OpenMetrics 1.0 for Prometheus 2.x, the Prometheus text format 0.0.4 otherwise (curl, promtool).
 * The protocol-buffer format is never chosen: only native histograms would need it. A scrape
 * reads every meter once; it allocates, but only per scrape, never per SIP message.
 */
public final class MetricsRoute implements AdminRoute {

    /** The Prometheus text format 0.0.4. */
    static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** OpenMetrics 1.0.0 text. */
    static final String OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final SipMetrics metrics;

    public MetricsRoute(SipMetrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics");
    }

    @Override
    public FullHttpResponse handle(FullHttpRequest request, ByteBufAllocator alloc) {
        metrics.refresh();
        String contentType = contentType(request.headers().get(HttpHeaderNames.ACCEPT));
        ByteBuf body = alloc.buffer(64 * 1024);
        try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
            // the registry picks its writer by matching this content type
            metrics.registry().scrape(out, contentType);
        } catch (IOException | RuntimeException e) {
            body.release();
            return AdminResponses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "cannot write metrics: " + e, alloc);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    /** OpenMetrics when {@code accept} names it, else the text format 0.0.4 (also for protobuf). */
    static String contentType(String accept) {
        return accept != null && accept.contains("application/openmetrics-text")
                ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE;
    }
}

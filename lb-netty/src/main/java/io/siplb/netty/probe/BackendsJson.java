package io.siplb.netty.probe;

import io.siplb.hash.Backend;
import io.siplb.health.BackendStatus;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code GET /backends}: one JSON object per backend, in id order.
 *
 * <pre>
 * [{"id":"b1","uri":"sip:10.0.0.2:5060","state":"UP","since":"2025-01-31T10:15:30.123Z",
 *   "lastProbeRttMs":0.42,"lastProbeStatus":200,"weight":1,"drained":false}]
 * </pre>
 *
 * {@code since} is wall-clock time (ISO-8601, UTC, milliseconds), converted from the tracker's
 * monotonic clock when the answer is written; {@code lastProbeRttMs} and
 * {@code lastProbeStatus} are {@code null} before the first reply. A few lines of string
 * building: the shape is fixed and small, not worth a JSON library.
 */
final class BackendsJson {

    private BackendsJson() {}

    /** The JSON array; {@code nowNanos} and {@code now} are the same instant in the two clocks. */
    static String write(List<BackendStatus> statuses, long nowNanos, Instant now) {
        StringBuilder sb = new StringBuilder(128 * statuses.size() + 2).append('[');
        for (int i = 0; i < statuses.size(); i++) {
            BackendStatus s = statuses.get(i);
            Backend b = s.backend();
            Instant since = now.minusNanos(nowNanos - s.sinceNanos()).truncatedTo(ChronoUnit.MILLIS);
            sb.append(i == 0 ? "\n" : ",\n").append("{\"id\":");
            string(sb, b.id());
            sb.append(",\"uri\":");
            string(sb, uri(b));
            sb.append(",\"state\":\"").append(s.state()).append('"')
                    .append(",\"since\":\"").append(since).append('"')
                    .append(",\"lastProbeRttMs\":")
                    .append(s.lastRoundTripNanos() < 0 ? "null"
                            : String.valueOf(Math.round(s.lastRoundTripNanos() / 10_000.0) / 100.0))
                    .append(",\"lastProbeStatus\":").append(s.lastStatusCode() == 0 ? "null" : s.lastStatusCode())
                    .append(",\"weight\":").append(b.weight())
                    .append(",\"drained\":").append(s.drained())
                    .append('}');
        }
        return sb.append(statuses.isEmpty() ? "]" : "\n]").toString();
    }

    /** {@code sip:host:port}, with {@code ;transport=} when not UDP and IPv6 in brackets. */
    static String uri(Backend b) {
        String host = b.host().indexOf(':') >= 0 ? "[" + b.host() + "]" : b.host();
        return "sip:" + host + ':' + b.port()
                + (b.transport().equals("UDP") ? "" : ";transport=" + b.transport().toLowerCase());
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}

package io.siplb.netty.pipeline;

import io.siplb.route.DropReason;
import io.siplb.sip.ParseError;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the runtime counts, one {@link LongAdder} per reason, all created up front so that
 * counting allocates nothing and never contends across event loops.
 *
 * <p>A stand-in until the Micrometer registry arrives ({@code io.siplb.netty.metrics}): the
 * names and reasons here are the ones the meters will carry.
 */
public final class SipCounters {

    /** Outcomes of the runtime itself (not of the routing decision). */
    public enum Event {
        /** A datagram or stream frame that parsed into a request. */
        REQUEST_IN,
        /** A datagram or stream frame that parsed into a response. */
        RESPONSE_IN,
        /** A keep-alive (CRLF over UDP, CRLF or CRLFCRLF over a stream) consumed. */
        KEEP_ALIVE,
        /** A STUN message on a SIP port; not answered yet (RFC 5626 §4.4.2 asks for a Binding response). */
        STUN,
        /** A CRLFCRLF ping answered with CRLF (RFC 5626 §3.5.1). */
        PONG,
        /** A message forwarded. */
        FORWARDED,
        /** A local response sent (Respond decision). */
        RESPONDED,
        /** A write that failed (peer gone, connection refused, buffer full): counted, never thrown. */
        WRITE_FAILED,
        /** A message dropped because the channel it should go out on is past its high water mark. */
        UNWRITABLE,
        /** An I/O error reported by a socket or connection (reset by peer, ICMP unreachable). */
        IO_ERROR,
        /** A forward to a client connection that is no longer open. */
        CONNECTION_GONE,
        /** A stream closed because it could not be framed. */
        FRAMING_ERROR,
        /** A bug caught at the pipeline boundary (the core threw); the message was dropped. */
        INTERNAL_ERROR
    }

    private final Map<Event, LongAdder> events = new EnumMap<>(Event.class);
    private final Map<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);
    private final Map<ParseError, LongAdder> parseErrors = new EnumMap<>(ParseError.class);

    public SipCounters() {
        for (Event e : Event.values()) {
            events.put(e, new LongAdder());
        }
        for (DropReason r : DropReason.values()) {
            drops.put(r, new LongAdder());
        }
        for (ParseError e : ParseError.values()) {
            parseErrors.put(e, new LongAdder());
        }
    }

    public void count(Event event) {
        events.get(event).increment();
    }

    public void drop(DropReason reason) {
        drops.get(reason).increment();
    }

    public void parseError(ParseError error) {
        parseErrors.get(error).increment();
    }

    public long get(Event event) {
        return events.get(event).sum();
    }

    public long get(DropReason reason) {
        return drops.get(reason).sum();
    }

    public long get(ParseError error) {
        return parseErrors.get(error).sum();
    }
}

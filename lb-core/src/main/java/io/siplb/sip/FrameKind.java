package io.siplb.sip;

/** What a framer found at the start of its input. */
public enum FrameKind {
    /** A SIP message (parse it with {@link SipParser}). */
    MESSAGE,
    /** Not enough bytes yet (streams only): read more and call again. */
    NEED_MORE,
    /** A CRLFCRLF ping on a stream: answer with one CRLF (RFC 5626 §3.5.1, §4.4.1). */
    PING,
    /** A keep-alive to discard: a bare CRLF on a stream (a pong, or CRLF before a start line,
     *  RFC 3261 §7.5), or a datagram of nothing but line breaks. */
    KEEP_ALIVE,
    /** A STUN message on a SIP port (RFC 5626 §4.4.2 keep-alives use STUN Binding over UDP). */
    STUN,
    /** The bytes cannot be framed (see the framer's failure); a stream must be closed. */
    ERROR
}

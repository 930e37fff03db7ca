package io.siplb.sip;

/**
 * Every reason the codec rejects a message, with the status code to answer a request with.
 *
 * <p>A status code of 0 means the message cannot be answered and is dropped (there is no
 * usable request to answer, or it is not SIP at all). Responses are never answered,
 * whatever the code says (RFC 3261 §16.7, §18.1.2): callers drop a failed response.
 */
public enum ParseError {

    // ---- framing: the message's extent cannot be determined -------------------------------
    /** Nothing but CRLF (or nothing at all) where a message was expected. */
    EMPTY(0, "no message: empty or only line breaks"),
    /** The header section has no empty line ending it (RFC 3261 §7). */
    HEADERS_UNTERMINATED(400, "header section is not terminated by an empty line"),
    /** Content-Length is not a non-negative decimal number (RFC 3261 §20.14). */
    BAD_CONTENT_LENGTH(400, "Content-Length is not a non-negative decimal number"),
    /** Content-Length appears more than once with different values (RFC 4475 §3.3.9). */
    CONFLICTING_CONTENT_LENGTH(400, "Content-Length appears twice with different values"),
    /**
     * Fewer bytes follow the header section than Content-Length declares: over UDP the
     * datagram is the whole message, so this is a 400 (RFC 3261 §18.3, RFC 4475 §3.1.2.2).
     */
    BODY_SHORTER_THAN_CONTENT_LENGTH(400, "fewer body bytes than Content-Length declares"),
    /** A line ends with LF without CR, or holds a bare CR (RFC 3261 §7: lines end with CRLF). */
    BARE_LINE_BREAK(400, "line break is not CRLF"),

    // ---- limits (SipLimits) -------------------------------------------------------------------
    /** The message is larger than {@link SipLimits#maxMessageBytes()}. */
    MESSAGE_TOO_LARGE(413, "message is larger than the configured limit"),
    /** More header values than {@link SipLimits#maxHeaders()}. */
    TOO_MANY_HEADERS(513, "more header fields than the configured limit"),
    /** A start line or header field is longer than {@link SipLimits#maxLineBytes()}. */
    LINE_TOO_LONG(513, "a line is longer than the configured limit"),

    // ---- start line (RFC 3261 §7.1, §7.2, §25.1) ------------------------------------------------
    /** The start line does not have the form of a Request-Line or a Status-Line. */
    MALFORMED_START_LINE(400, "start line is neither a Request-Line nor a Status-Line"),
    /** The method is not a token. */
    BAD_METHOD(400, "method is not a token"),
    /** More than one SP between start-line elements, or SP before the CRLF (RFC 4475 §3.1.2.9, §3.1.2.10). */
    EXTRA_WHITESPACE_IN_START_LINE(400, "start-line elements must be separated by exactly one SP"),
    /** The Request-URI is enclosed in &lt;&gt; (RFC 4475 §3.1.2.7). */
    REQUEST_URI_IN_ANGLE_BRACKETS(400, "Request-URI must not be enclosed in <>"),
    /** The Request-URI contains whitespace (RFC 4475 §3.1.2.8). */
    WHITESPACE_IN_REQUEST_URI(400, "Request-URI must not contain whitespace"),
    /** The protocol version is not SIP/2.0 (RFC 3261 §21.5.15, RFC 4475 §3.1.2.16). */
    UNSUPPORTED_VERSION(505, "SIP version is not SIP/2.0"),
    /** The status code is not three digits in 100..699 (RFC 3261 §7.2, RFC 4475 §3.1.2.19). */
    BAD_STATUS_CODE(0, "status code is not three digits in 100..699"),

    // ---- header section (RFC 3261 §7.3) ---------------------------------------------------------
    /** A header line has no name, a name that is not a token, or no colon. */
    MALFORMED_HEADER(400, "header field is not name \":\" value"),
    /** The first header line begins with whitespace: nothing to continue (RFC 3261 §7.3.1). */
    CONTINUATION_WITHOUT_HEADER(400, "continuation line without a header field"),

    // ---- verify(): required and single-value headers (RFC 3261 §8.1.1, §20) ---------------------
    /** No Via. */
    MISSING_VIA(400, "Via is missing"),
    /** No From. */
    MISSING_FROM(400, "From is missing"),
    /** No To. */
    MISSING_TO(400, "To is missing"),
    /** No Call-ID. */
    MISSING_CALL_ID(400, "Call-ID is missing"),
    /** No CSeq. */
    MISSING_CSEQ(400, "CSeq is missing"),
    /** To, From, Call-ID, CSeq or Max-Forwards appears more than once (RFC 4475 §3.3.8). */
    DUPLICATE_HEADER(400, "a single-value header field appears more than once"),

    // ---- verify(): header syntax and semantics --------------------------------------------------
    /** A Via value is malformed (RFC 3261 §20.42). */
    BAD_VIA(400, "Via is malformed"),
    /** The Via branch is the bare magic cookie z9hG4bK (RFC 3261 §8.1.1.7, RFC 4475 §3.2.1). */
    BAD_BRANCH(400, "Via branch is the magic cookie with nothing after it"),
    /** From is malformed (RFC 3261 §20.20). */
    BAD_FROM(400, "From is malformed"),
    /** To is malformed (RFC 3261 §20.39). */
    BAD_TO(400, "To is malformed"),
    /** A Contact value is malformed (RFC 3261 §20.10). */
    BAD_CONTACT(400, "Contact is malformed"),
    /** Call-ID is empty or contains whitespace (RFC 3261 §20.8). */
    BAD_CALL_ID(400, "Call-ID is malformed"),
    /** CSeq is malformed or its number exceeds 2^32-1 (RFC 3261 §20.16, RFC 4475 §3.1.2.4). */
    BAD_CSEQ(400, "CSeq is malformed or its number is larger than 2^32-1"),
    /** Max-Forwards is not a number in 0..255 (RFC 3261 §20.22, RFC 4475 §3.1.2.4). */
    BAD_MAX_FORWARDS(400, "Max-Forwards is not a number in 0..255"),
    /** The CSeq method differs from the request method (RFC 3261 §8.1.1.5, RFC 4475 §3.1.2.17). */
    CSEQ_METHOD_MISMATCH(400, "CSeq method does not match the request method"),
    /**
     * An unknown method whose CSeq method differs: 501, since an element that does not know
     * the method cannot claim the request is wrong (RFC 4475 §3.1.2.18; 400 is also allowed).
     */
    UNKNOWN_METHOD_CSEQ_MISMATCH(501, "unknown method whose CSeq method does not match"),
    /** The Request-URI is malformed (RFC 3261 §19.1.1, RFC 5118 §4.2). */
    BAD_REQUEST_URI(400, "Request-URI is malformed"),
    /** The Request-URI carries escaped headers, not allowed there (RFC 3261 §19.1.5, RFC 4475 §3.1.2.11). */
    REQUEST_URI_HAS_HEADERS(400, "Request-URI must not contain escaped headers");

    private final int statusCode;
    private final String reason;

    ParseError(int statusCode, String reason) {
        this.statusCode = statusCode;
        this.reason = reason;
    }

    /** The status code to answer a request with; 0 when the message is dropped unanswered. */
    public int statusCode() {
        return statusCode;
    }

    /** Whether a request failing this way can be answered. */
    public boolean isAnswerable() {
        return statusCode != 0;
    }

    /** What is wrong, for logs and the Warning/reason of an answer. */
    public String reason() {
        return reason;
    }
}

package io.siplb.sip;

import io.netty.buffer.ByteBuf;
import io.siplb.sip.header.NameAddr;
import io.siplb.sip.header.SipUri;
import io.siplb.sip.header.Via;

/**
 * The full checks behind {@link SipMessage#verify()}, in the order a proxy needs them: what
 * it must have to answer at all (RFC 3261 §8.1.1, §16.3), then what it routes on.
 */
final class MessageVerifier {

    /** RFC 3261 §8.1.1.7: branches of RFC 3261 elements start with this. */
    private static final String MAGIC_COOKIE = "z9hG4bK";

    private static final HeaderName[] REQUIRED = {
        HeaderName.VIA, HeaderName.FROM, HeaderName.TO, HeaderName.CALL_ID, HeaderName.CSEQ,
    };
    private static final ParseError[] MISSING = {
        ParseError.MISSING_VIA, ParseError.MISSING_FROM, ParseError.MISSING_TO,
        ParseError.MISSING_CALL_ID, ParseError.MISSING_CSEQ,
    };
    /** Header fields that RFC 3261 §7.3.1 allows at most once (RFC 4475 §3.3.8). */
    private static final HeaderName[] SINGLE = {
        HeaderName.FROM, HeaderName.TO, HeaderName.CALL_ID, HeaderName.CSEQ, HeaderName.MAX_FORWARDS,
    };

    private MessageVerifier() {
    }

    static ParseFailure verify(SipMessage msg) {
        for (int k = 0; k < REQUIRED.length; k++) {
            if (msg.first(REQUIRED[k]) < 0) {
                return new ParseFailure(MISSING[k], msg.headersEnd());
            }
        }
        for (HeaderName name : SINGLE) {
            int h = msg.first(name);
            if (h >= 0 && msg.next(h) >= 0) {
                return new ParseFailure(ParseError.DUPLICATE_HEADER, msg.lineStart(msg.next(h)));
            }
        }
        ParseFailure failure = null;
        if (msg instanceof SipRequest request) {
            failure = verifyRequestLine(request);
        }
        if (failure == null) {
            failure = verifyCSeq(msg);
        }
        if (failure == null && msg.maxForwards() == -2) {
            failure = at(ParseError.BAD_MAX_FORWARDS, msg, HeaderName.MAX_FORWARDS);
        }
        if (failure == null) {
            failure = verifyVias(msg);
        }
        if (failure == null && msg.from() == null) {
            failure = at(ParseError.BAD_FROM, msg, HeaderName.FROM);
        }
        if (failure == null && msg.to() == null) {
            failure = at(ParseError.BAD_TO, msg, HeaderName.TO);
        }
        if (failure == null) {
            failure = verifyCallId(msg);
        }
        if (failure == null) {
            failure = verifyContacts(msg);
        }
        return failure;
    }

    private static ParseFailure verifyRequestLine(SipRequest request) {
        SipUri uri = request.requestUri();
        if (uri == null) {
            return new ParseFailure(ParseError.BAD_REQUEST_URI, request.uriStart());
        }
        if (uri.hasHeaders()) {
            // RFC 3261 §19.1.5: headers are not allowed in a Request-URI
            return new ParseFailure(ParseError.REQUEST_URI_HAS_HEADERS, uri.headersStart());
        }
        return null;
    }

    private static ParseFailure verifyCSeq(SipMessage msg) {
        if (msg.cseq() == null) {
            return at(ParseError.BAD_CSEQ, msg, HeaderName.CSEQ);
        }
        if (!(msg instanceof SipRequest request)) {
            return null;
        }
        // RFC 3261 §8.1.1.5: the CSeq method matches the request method, case-sensitively;
        // compared as bytes so that extension methods are compared too
        ByteBuf buf = msg.content();
        int h = msg.first(HeaderName.CSEQ);
        int end = msg.valueEnd(h);
        int start = end;
        while (start > msg.valueStart(h) && Chars.isToken(buf.getByte(start - 1))) {
            start--;
        }
        int len = request.methodEnd() - request.methodStart();
        boolean same = end - start == len;
        for (int k = 0; same && k < len; k++) {
            same = buf.getByte(start + k) == buf.getByte(request.methodStart() + k);
        }
        if (same) {
            return null;
        }
        return new ParseFailure(request.method() == SipMethod.OTHER
                ? ParseError.UNKNOWN_METHOD_CSEQ_MISMATCH : ParseError.CSEQ_METHOD_MISMATCH, start);
    }

    private static ParseFailure verifyVias(SipMessage msg) {
        ByteBuf buf = msg.content();
        for (int h = msg.first(HeaderName.VIA); h >= 0; h = msg.next(h)) {
            Via via = h == msg.first(HeaderName.VIA) ? msg.topVia()
                    : Via.parse(buf, msg.valueStart(h), msg.valueEnd(h));
            if (via == null || !"SIP".equalsIgnoreCase(via.protocolName())
                    || !"2.0".equals(via.protocolVersion())) {
                return new ParseFailure(ParseError.BAD_VIA, msg.valueStart(h));
            }
            if (MAGIC_COOKIE.equals(via.branch())) {
                // RFC 3261 §8.1.1.7: the cookie must be followed by a transaction id (RFC 4475 §3.2.1)
                long range = via.paramRange("branch");
                return new ParseFailure(ParseError.BAD_BRANCH,
                        range >= 0 ? (int) (range >>> 32) : msg.valueStart(h));
            }
        }
        return null;
    }

    /** Call-ID = word [ "@" word ]: not empty, no whitespace or control characters. */
    private static ParseFailure verifyCallId(SipMessage msg) {
        ByteBuf buf = msg.content();
        int h = msg.first(HeaderName.CALL_ID);
        int start = msg.valueStart(h);
        int end = msg.valueEnd(h);
        if (start == end) {
            return new ParseFailure(ParseError.BAD_CALL_ID, start);
        }
        for (int k = start; k < end; k++) {
            int b = buf.getByte(k) & 0xFF;
            if (b <= ' ' || b == 0x7F) {
                return new ParseFailure(ParseError.BAD_CALL_ID, k);
            }
        }
        return null;
    }

    private static ParseFailure verifyContacts(SipMessage msg) {
        ByteBuf buf = msg.content();
        for (int h = msg.first(HeaderName.CONTACT); h >= 0; h = msg.next(h)) {
            int start = msg.valueStart(h);
            int end = msg.valueEnd(h);
            if (end - start == 1 && buf.getByte(start) == '*') {
                continue; // RFC 3261 §10.2.2: "Contact: *" removes all bindings
            }
            NameAddr contact = NameAddr.parse(buf, start, end);
            // RFC 3261 §20.10: a URI with a comma, semicolon or question mark must be in <>;
            // in addr-spec form the ';' starts header params, but a '?' is an error (RFC 4475 §3.1.2.13)
            if (contact == null || (!contact.isNameAddr() && contact.uri().hasHeaders())) {
                return new ParseFailure(ParseError.BAD_CONTACT, start);
            }
        }
        return null;
    }

    private static ParseFailure at(ParseError error, SipMessage msg, HeaderName name) {
        return new ParseFailure(error, msg.valueStart(msg.first(name)));
    }
}

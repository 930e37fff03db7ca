package io.siplb.sip.header;

import io.netty.buffer.ByteBuf;

/**
 * One via-parm of a Via header (RFC 3261 §20.42, §25.1; RFC 3581 rport; RFC 5118 IPv6):
 *
 * <pre>
 * via-parm      = sent-protocol LWS sent-by *( SEMI via-params )
 * sent-protocol = protocol-name SLASH protocol-version SLASH transport
 * sent-by       = host [ COLON port ]
 * via-params    = via-ttl / via-maddr / via-received / via-branch / response-port / via-extension
 * </pre>
 *
 * <p>What the response path reads is materialised at parse time: transport (upper case), the
 * sent-by host as written, port, branch, received and rport. Everything else is reached through
 * {@link #param} or the byte offsets, which are absolute indices into the buffer the value was
 * parsed from: {@link #start()}/{@link #end()} bound the via-parm, {@link #sentByEnd()} is where a
 * new parameter can be inserted, and {@link #paramRange} locates a parameter to replace.
 *
 * <p>Stricter than the ABNF's last alternative in one place: {@code received} must be an IPv4 or
 * IPv6 address (with or without brackets, RFC 5118 §4.5), {@code rport} and {@code ttl} must be
 * numbers in range, and {@code branch} must have a value. A Via that fails these is malformed,
 * because the response path would otherwise send to an address nobody wrote.
 */
public final class Via {

    private static final Abnf.Words TRANSPORTS = new Abnf.Words("UDP", "TCP", "TLS", "SCTP", "TLS-SCTP", "WS", "WSS");

    private final String protocolName;
    private final String protocolVersion;
    private final String transport;
    private final String host;
    private final int port;
    private final String branch;
    private final String received;
    private final int rport;
    private final boolean hasRport;
    private final Params params;
    private final int start;
    private final int end;
    private final int sentByEnd;

    private Via(String protocolName, String protocolVersion, String transport, String host, int port,
                Params params, String branch, String received, boolean hasRport, int rport,
                int start, int end, int sentByEnd) {
        this.protocolName = protocolName;
        this.protocolVersion = protocolVersion;
        this.transport = transport;
        this.host = host;
        this.port = port;
        this.params = params;
        this.start = start;
        this.end = end;
        this.sentByEnd = sentByEnd;
        this.branch = branch;
        this.received = received;
        this.hasRport = hasRport;
        this.rport = rport;
    }

    /**
     * Parses one via-parm spanning {@code [start, end)} (leading and trailing LWS, including folded
     * lines, are allowed); null when malformed. Never throws and reads nothing outside the range.
     */
    public static Via parse(ByteBuf buf, int start, int end) {
        if (!Abnf.inBounds(buf, start, end)) {
            return null;
        }
        int off = Abnf.offset(buf, start);
        return parse(Abnf.array(buf, start, end), start + off, end + off, off);
    }

    /**
     * Like {@link #parse(ByteBuf, int, int)}, reading the buffer's bytes from an array: byte
     * {@code k} of the buffer is {@code bytes[k + offset]}. {@code [start, end)} are buffer
     * offsets, and so are the offsets of the result. For the codec, which may hold a message's
     * bytes in an array already.
     */
    public static Via parseBytes(byte[] bytes, int offset, int start, int end) {
        return Abnf.inBounds(bytes, offset, start, end) ? parse(bytes, start + offset, end + offset, offset) : null;
    }

    /** {@link #parse(ByteBuf, int, int)} on array indices; {@code off} maps buffer offsets to them. */
    private static Via parse(byte[] a, int start, int end, int off) {
        int nameStart = Abnf.consumeLws(a, start, end);
        int nameEnd;
        int versionStart;
        int versionEnd;
        int transportStart;
        boolean sip20 = startsWithSip20(a, nameStart, end);
        if (sip20) {
            // what every Via says, checked in one comparison rather than five scans
            nameEnd = nameStart + 3;
            versionStart = nameStart + 4;
            versionEnd = nameStart + 7;
            transportStart = Abnf.consumeSws(a, nameStart + 8, end); // SLASH = SWS "/" SWS
        } else {
            nameEnd = Abnf.expectToken(a, nameStart, end);
            if (nameEnd < 0) {
                return null;
            }
            versionStart = Abnf.expectSlash(a, nameEnd, end);
            versionEnd = versionStart < 0 ? -1 : Abnf.expectToken(a, versionStart, end);
            if (versionEnd < 0) {
                return null;
            }
            transportStart = Abnf.expectSlash(a, versionEnd, end);
        }
        int transportEnd = transportStart < 0 ? -1 : Abnf.expectToken(a, transportStart, end);
        if (transportEnd < 0) {
            return null;
        }
        int hostStart = Abnf.expectLws(a, transportEnd, end);
        int hostEnd = hostStart < 0 ? -1 : Abnf.consumeHost(a, hostStart, end);
        if (hostEnd < 0) {
            return null;
        }
        int port = -1;
        int sentByEnd = hostEnd;
        int colon = Abnf.consumeSws(a, hostEnd, end);
        if (colon < end && a[colon] == ':') {
            int portStart = Abnf.consumeSws(a, colon + 1, end);
            int portEnd = Abnf.consumeRun(a, portStart, end, Abnf.DIGIT);
            port = Abnf.port(a, portStart, portEnd);
            if (port < 0) {
                return null;
            }
            sentByEnd = portEnd;
        }
        Params params = Params.parseHeaderParams(a, sentByEnd, end, off);
        if (params == null) {
            return null;
        }
        // the parameters the response path uses, checked and picked (the first of each) in one walk
        String branch = null;
        String received = null;
        boolean hasRport = false;
        int rport = -1;
        for (int i = 0; i < params.size(); i++) {
            String v = params.value(i);
            int valueEnd = (int) params.range(i) + off;
            int valueStart = valueEnd - v.length();
            boolean ok;
            switch (params.name(i)) {
                case "branch" -> {
                    ok = !v.isEmpty() && (params.valueIsToken(i)
                            || Abnf.consumeToken(a, valueStart, valueEnd) == valueEnd);
                    branch = branch == null ? v : branch;
                }
                case "received" -> {
                    ok = isIpAddress(a, valueStart, valueEnd);
                    received = received == null ? v : received;
                }
                case "rport" -> {
                    // RFC 3581 §4: response-port = "rport" [EQUAL 1*DIGIT]
                    int p = v.isEmpty() ? -1 : Abnf.port(a, valueStart, valueEnd);
                    ok = v.isEmpty() || p >= 0;
                    rport = hasRport ? rport : p;
                    hasRport = true;
                }
                // ttl = 1*3DIGIT ; 0 to 255
                case "ttl" -> ok = v.length() <= 3 && Abnf.decimal(a, valueStart, valueEnd, 255) >= 0;
                case "maddr" -> ok = Abnf.isHost(a, valueStart, valueEnd);
                default -> ok = true;
            }
            if (!ok) {
                return null;
            }
        }
        int last = params.isEmpty() ? sentByEnd - off : (int) params.range(params.size() - 1);
        return new Via(
                sip20 ? "SIP" : Abnf.asciiExact(a, nameStart, nameEnd, "SIP"),
                sip20 ? "2.0" : Abnf.asciiExact(a, versionStart, versionEnd, "2.0"),
                Abnf.asciiUpper(a, transportStart, transportEnd, TRANSPORTS),
                Abnf.ascii(a, hostStart, hostEnd),
                port, params, branch, received, hasRport, rport, nameStart - off, last, sentByEnd - off);
    }

    private static boolean startsWithSip20(byte[] a, int i, int end) {
        return end - i > 8 && a[i] == 'S' && a[i + 1] == 'I' && a[i + 2] == 'P' && a[i + 3] == '/'
                && a[i + 4] == '2' && a[i + 5] == '.' && a[i + 6] == '0' && a[i + 7] == '/';
    }

    // RFC 3261: via-received = "received" EQUAL (IPv4address / IPv6address); RFC 5118 §4.5 notes
    // that implementations also write the IPv6 address as a reference, so accept both forms.
    private static boolean isIpAddress(byte[] a, int start, int end) {
        return start < end && (Abnf.isIpv4Address(a, start, end) || Abnf.isIpv6Address(a, start, end)
                || Abnf.isIpv6Reference(a, start, end));
    }

    /** protocol-name, as written ("SIP"). */
    public String protocolName() {
        return protocolName;
    }

    /** protocol-version, as written ("2.0"). */
    public String protocolVersion() {
        return protocolVersion;
    }

    /** The transport in upper case: "UDP", "TCP", "TLS", "SCTP", "TLS-SCTP", "WS", "WSS", or another token. */
    public String transport() {
        return transport;
    }

    /** The sent-by host as written: a hostname, an IPv4 address, or an IPv6 reference with brackets. */
    public String host() {
        return host;
    }

    /** Whether the sent-by host is an IPv6 reference. */
    public boolean ipv6() {
        return host.charAt(0) == '[';
    }

    /** The sent-by port, or -1 when absent. */
    public int port() {
        return port;
    }

    /** sent-by as a value. */
    public HostPort sentBy() {
        return new HostPort(host, port);
    }

    /** The branch parameter, or null when absent. */
    public String branch() {
        return branch;
    }

    /** The received parameter as written (IPv6 with or without brackets), or null when absent. */
    public String received() {
        return received;
    }

    /** Whether an rport parameter is present, with or without a value (RFC 3581 §4). */
    public boolean hasRport() {
        return hasRport;
    }

    /** The rport value, or -1 when it is absent or has no value. */
    public int rport() {
        return rport;
    }

    /** A parameter's value as written: null when absent, "" when it has no value. Names are case-insensitive. */
    public String param(String name) {
        return params.get(name);
    }

    /** All parameters in order. */
    public Params params() {
        return params;
    }

    /** Absolute index of the first byte of the via-parm (the protocol name). */
    public int start() {
        return start;
    }

    /** Absolute index after the last byte of the via-parm (trailing LWS excluded). */
    public int end() {
        return end;
    }

    /** Absolute index after sent-by (after the port when present): where a new parameter can be inserted. */
    public int sentByEnd() {
        return sentByEnd;
    }

    /**
     * The packed absolute range ({@code start << 32 | end}) of the first {@code ;name[=value]}
     * called {@code name}, from its ";" to the end of its value, or -1 when absent.
     */
    public long paramRange(String name) {
        return params.rangeOf(name);
    }

    @Override
    public String toString() {
        return protocolName + '/' + protocolVersion + '/' + transport + ' ' + host + (port < 0 ? "" : ":" + port)
                + params;
    }
}

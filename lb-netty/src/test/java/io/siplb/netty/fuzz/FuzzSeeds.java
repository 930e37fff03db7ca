package io.siplb.netty.fuzz;

import io.siplb.netty.fuzz.InboundPath.Output;
import io.siplb.netty.fuzz.InboundPath.Peer;
import io.siplb.route.FlowToken;
import io.siplb.sip.SipText;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The fuzzer's seed corpus: the RFC 4475 torture messages and the RFC 5118 IPv6 messages (lb-core's
 * test resources, listed by their {@code index.tsv}), the RFC 3665 registration and call flow,
 * each as a client's datagram and as a client's TCP stream (responses also from a backend), and
 * messages that only siplb itself can make valid: responses through siplb's signed Via and
 * requests along its signed Path / Record-Route, made by running the path once.
 */
final class FuzzSeeds {

    /** One seed: a name for the test report and the fuzz input (peer byte first). */
    record Seed(String name, byte[] input) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<String> RFC3665 = List.of("register-no-auth.sip", "401-unauthorized.sip",
            "register-auth.sip", "register-200-ok.sip", "invite-sdp.sip", "invite-180-ringing.sip",
            "invite-200-ok.sip", "ack.sip", "bye.sip", "bye-200-ok.sip");

    private FuzzSeeds() {
    }

    static List<Seed> all() {
        List<Seed> seeds = new ArrayList<>();
        for (String folder : List.of("sip/rfc4475", "sip/rfc5118")) {
            for (String file : indexed(folder)) {
                rfcMessage(seeds, folder + "/" + file);
            }
        }
        for (String file : RFC3665) {
            rfcMessage(seeds, "sip/rfc3665/" + file);
        }
        signed(seeds);
        extras(seeds);
        return seeds;
    }

    private static void rfcMessage(List<Seed> seeds, String path) {
        byte[] bytes = SipText.resourceBytes(path);
        String name = path.substring(path.lastIndexOf('/') + 1);
        seeds.add(new Seed(name + " from a client over UDP", InboundPath.input(Peer.CLIENT_UDP, false, 0, bytes)));
        seeds.add(new Seed(name + " from a client over TCP", InboundPath.input(Peer.CLIENT_TCP, false, 0, bytes)));
        if (bytes.length > 8 && new String(bytes, 0, 8, StandardCharsets.ISO_8859_1).startsWith("SIP/")) {
            seeds.add(new Seed(name + " from a backend", InboundPath.input(Peer.BACKEND_UDP, false, 0, bytes)));
        }
    }

    /** File names of a torture corpus, from its index (resources in a jar cannot be listed). */
    private static List<String> indexed(String folder) {
        List<String> files = new ArrayList<>();
        String[] lines = SipText.resourceText(folder + "/index.tsv").split("\n");
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                files.add(lines[i].split("\t", -1)[0]);
            }
        }
        return files;
    }

    /**
     * Messages that carry siplb's own signatures, which the fuzzer could never guess: a REGISTER
     * and an INVITE go through the path; the backend's answers (through our Via) and its in-dialog
     * requests (along our Record-Route, with the client's flow token) become seeds.
     */
    private static void signed(List<Seed> seeds) {
        try (InboundPath path = new InboundPath()) {
            for (boolean v6 : new boolean[] {false, true}) {
                String via = v6 ? "[2001:db8::7]:40312" : "198.51.100.7:40312";
                String tag = v6 ? " (IPv6 client)" : "";
                String register = forwarded(path, Peer.CLIENT_UDP, v6, """
                        REGISTER sip:example.com SIP/2.0
                        Via: SIP/2.0/UDP %s;branch=z9hG4bKseedreg1;rport
                        Max-Forwards: 70
                        From: <sip:alice@example.com>;tag=r1
                        To: <sip:alice@example.com>
                        Call-ID: seed-reg-1@client
                        CSeq: 1 REGISTER
                        Contact: <sip:alice@%s>
                        Expires: 3600
                        Content-Length: 0

                        """.formatted(via, via));
                seeds.add(datagram("200 to a REGISTER from its home proxy" + tag, Peer.BACKEND_UDP,
                        answer(register, "200 OK", "")));
                seeds.add(datagram("503 with Retry-After to a REGISTER from its home proxy" + tag, Peer.BACKEND_UDP,
                        answer(register, "503 Service Unavailable", "Retry-After: 30\r\n")));
                seeds.add(datagram("200 to a REGISTER sent from outside" + tag, Peer.CLIENT_UDP, v6,
                        answer(register, "200 OK", "")));

                String invite = forwarded(path, Peer.CLIENT_UDP, v6, """
                        INVITE sip:bob@example.com SIP/2.0
                        Via: SIP/2.0/UDP %s;branch=z9hG4bKseedinv1;rport
                        Max-Forwards: 70
                        From: <sip:alice@example.com>;tag=i1
                        To: <sip:bob@example.com>
                        Call-ID: seed-inv-1@client
                        CSeq: 1 INVITE
                        Contact: <sip:alice@%s>
                        Content-Type: application/sdp
                        Content-Length: 4

                        v=0
                        """.formatted(via, via));
                String recordRoute = header(invite, "Record-Route");
                seeds.add(datagram("180 with Record-Route from the backend" + tag, Peer.BACKEND_UDP,
                        answer(invite, "180 Ringing", "Record-Route: " + recordRoute + "\r\n")));
                seeds.add(datagram("BYE from the backend along our Record-Route" + tag, Peer.BACKEND_UDP, ("""
                        BYE sip:alice@%s SIP/2.0
                        Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKseedbye1
                        Route: %s
                        Max-Forwards: 70
                        From: <sip:bob@example.com>;tag=b1
                        To: <sip:alice@example.com>;tag=i1
                        Call-ID: seed-inv-1@client
                        CSeq: 2 BYE
                        Content-Length: 0

                        """).formatted(via, recordRoute)));
                seeds.add(datagram("in-dialog ACK from the client along our Record-Route" + tag, Peer.CLIENT_UDP, v6, ("""
                        ACK sip:bob@10.0.0.2 SIP/2.0
                        Via: SIP/2.0/UDP %s;branch=z9hG4bKseedack1;rport
                        Route: %s, <sip:10.0.0.2;lr>
                        Max-Forwards: 70
                        From: <sip:alice@example.com>;tag=i1
                        To: <sip:bob@example.com>;tag=b1
                        Call-ID: seed-inv-1@client
                        CSeq: 1 ACK
                        Content-Length: 0

                        """).formatted(via, recordRoute)));
            }
            String tcpToken = path.token(FlowToken.of(io.siplb.route.Transport.TCP, InboundPath.CLIENT_V4, 7));
            seeds.add(datagram("NOTIFY from the backend to a TCP client's flow", Peer.BACKEND_UDP, """
                    NOTIFY sip:alice@198.51.100.7:40312;transport=tcp SIP/2.0
                    Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKseednot1
                    Route: <sip:%s@192.0.2.1:5060;lr;transport=tcp>
                    Max-Forwards: 70
                    From: <sip:alice@example.com>;tag=n1
                    To: <sip:alice@example.com>;tag=n2
                    Call-ID: seed-not-1@backend
                    CSeq: 1 NOTIFY
                    Event: reg
                    Subscription-State: active
                    Content-Length: 0

                    """.formatted(tcpToken)));
        }
    }

    /** Keep-alives, pings, pipelining, scanners, partial reads. */
    private static void extras(List<Seed> seeds) {
        byte[] register = SipText.sipBytes("""
                REGISTER sip:example.com SIP/2.0
                Via: SIP/2.0/TCP 198.51.100.7:40312;branch=z9hG4bKseedtcp1;rport
                Max-Forwards: 70
                From: <sip:carol@example.com>;tag=t1
                To: <sip:carol@example.com>
                Call-ID: seed-tcp-1@client
                CSeq: 1 REGISTER
                Contact: <sip:carol@198.51.100.7:40312;transport=tcp>
                Content-Length: 0

                """);
        byte[] twice = new byte[register.length * 2 + 4];
        System.arraycopy(register, 0, twice, 0, register.length);
        System.arraycopy("\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0, twice, register.length, 4);
        System.arraycopy(register, 0, twice, register.length + 4, register.length);
        seeds.add(new Seed("two REGISTERs and a ping on one TCP connection",
                InboundPath.input(Peer.CLIENT_TCP, false, 0, twice)));
        seeds.add(new Seed("a REGISTER over TCP one byte per read",
                InboundPath.input(Peer.CLIENT_TCP_TRICKLE, false, 0, register)));
        seeds.add(new Seed("a REGISTER over TCP in two reads",
                InboundPath.input(Peer.CLIENT_TCP, true, 13, register)));
        seeds.add(new Seed("a CRLF keep-alive over UDP", InboundPath.input(Peer.CLIENT_UDP, false, 0,
                "\r\n".getBytes(StandardCharsets.US_ASCII))));
        seeds.add(datagram("an OPTIONS for siplb itself", Peer.CLIENT_UDP, """
                OPTIONS sip:192.0.2.1:5060 SIP/2.0
                Via: SIP/2.0/UDP 198.51.100.7:40312;branch=z9hG4bKseedopt1
                Max-Forwards: 70
                From: <sip:monitor@example.com>;tag=o1
                To: <sip:192.0.2.1:5060>
                Call-ID: seed-opt-1@client
                CSeq: 1 OPTIONS
                Content-Length: 0

                """));
        seeds.add(datagram("a scanner's OPTIONS", Peer.CLIENT_UDP, """
                OPTIONS sip:100@192.0.2.1 SIP/2.0
                Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK-scan;rport
                Max-Forwards: 70
                From: "sipvicious"<sip:100@1.1.1.1>;tag=6434396633623535
                To: "sipvicious"<sip:100@1.1.1.1>
                Call-ID: 1234567890
                CSeq: 1 OPTIONS
                User-Agent: friendly-scanner
                Content-Length: 0

                """));
    }

    /** Runs a client's request through {@code path}; returns the text forwarded to its backend. */
    private static String forwarded(InboundPath path, Peer peer, boolean v6, String request) {
        List<Output> out = path.run(InboundPath.input(peer, v6, 0, SipText.sipBytes(request)));
        for (Output o : out) {
            if (InboundPath.BACKENDS.contains(o.to())) {
                return o.text();
            }
        }
        throw new IllegalStateException("the seed request was not forwarded to a backend: " + out + "\n" + request);
    }

    /** A response to {@code request}: its Via, From, To (tagged), Call-ID and CSeq lines, plus {@code extra}. */
    private static String answer(String request, String status, String extra) {
        StringBuilder sb = new StringBuilder("SIP/2.0 ").append(status).append("\r\n");
        for (String line : request.split("\r\n")) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("via:") || lower.startsWith("from:") || lower.startsWith("call-id:")
                    || lower.startsWith("cseq:") || lower.startsWith("path:") || lower.startsWith("contact:")) {
                sb.append(line).append("\r\n");
            } else if (lower.startsWith("to:")) {
                sb.append(line).append(";tag=seed\r\n");
            }
        }
        return sb.append(extra).append("Content-Length: 0\r\n\r\n").toString();
    }

    private static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new IllegalStateException("no " + name + " in:\n" + message);
    }

    private static Seed datagram(String name, Peer peer, String text) {
        return datagram(name, peer, false, text);
    }

    private static Seed datagram(String name, Peer peer, boolean v6, String text) {
        return new Seed(name, InboundPath.input(peer, v6, 0, SipText.sipBytes(text)));
    }
}

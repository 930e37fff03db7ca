package io.siplb.netty.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Plain-socket SIP peers for loopback tests: no SIP stack, just bytes. */
final class FakePeers {

    static final int TIMEOUT_MILLIS = 5_000;

    private FakePeers() {}

    /** A port free for both UDP and TCP on {@code host}, at the time of asking. */
    static int freePort(String host) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, address)) {
                int port = tcp.getLocalPort();
                try {
                    new DatagramSocket(new InetSocketAddress(address, port)).close();
                    return port;
                } catch (IOException taken) {
                    // UDP side in use: try another
                }
            }
        }
        throw new IOException("no free port on " + host);
    }

    /** A UDP socket bound to an ephemeral port of {@code host}, with the test timeout. */
    static DatagramSocket udp(String host) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0));
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return socket;
    }

    static void send(DatagramSocket socket, String text, InetSocketAddress to) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    /** The next datagram; its sender is in {@link Received#from}. */
    static Received receive(DatagramSocket socket) throws IOException {
        byte[] buf = new byte[65_535];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        socket.receive(packet);
        return new Received(new String(buf, 0, packet.getLength(), StandardCharsets.UTF_8),
                (InetSocketAddress) packet.getSocketAddress());
    }

    /** Reads one message without body (Content-Length: 0) from a stream. */
    static String readMessage(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (sb.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + sb);
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    /**
     * A 200 OK to {@code request} as a UAS builds it (RFC 3261 §8.2.6): its Via lines in order,
     * From, To with a tag, Call-ID, CSeq.
     */
    static String okFor(String request) {
        StringBuilder sb = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String line : headerLines(request)) {
            String name = line.substring(0, line.indexOf(':')).trim().toLowerCase();
            switch (name) {
                case "via", "v", "from", "f", "call-id", "i", "cseq" -> sb.append(line).append("\r\n");
                case "to", "t" -> sb.append(line).append(line.contains(";tag=") ? "" : ";tag=b4ck3nd").append("\r\n");
                default -> { }
            }
        }
        return sb.append("Content-Length: 0\r\n\r\n").toString();
    }

    /** The header lines of a message (no folding in these tests). */
    static List<String> headerLines(String message) {
        String head = message.substring(0, message.indexOf("\r\n\r\n"));
        String[] lines = head.split("\r\n");
        List<String> out = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            out.add(lines[i]);
        }
        return out;
    }

    /** The values of every header line called {@code name} (long form), in order. */
    static List<String> headers(String message, String name) {
        List<String> out = new ArrayList<>();
        for (String line : headerLines(message)) {
            int colon = line.indexOf(':');
            if (line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                out.add(line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    record Received(String text, InetSocketAddress from) {}
}

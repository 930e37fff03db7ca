package io.siplb.route;

import com.google.common.net.InetAddresses;
import io.siplb.sip.edit.MessageEdits;
import io.siplb.sip.header.Via;

import java.net.InetAddress;

/**
 * The received/rport rules for the top Via of a request (RFC 3261 §18.2.1, RFC 3581 §4), and the
 * next hop its response will go to, which {@link ViaBranch} binds into our branch.
 *
 * @param nextHopHost where the response goes, as {@link NextHop#host} will read it back
 * @param nextHopPort the port it goes to, as {@link NextHop#port} will read it back
 */
record ClientVia(String nextHopHost, int nextHopPort) {

    /**
     * Adds {@code received} when the source address differs from sent-by, or when the client asked
     * for rport (RFC 3581 §4: then received is always added); fills {@code rport} with the source
     * port when the client sent it empty, or always with {@code forceRport}.
     */
    static ClientVia apply(Via via, Source source, boolean forceRport, MessageEdits edits) {
        InetAddress sourceIp = source.remote().getAddress();
        String sourceHost = InetAddresses.toAddrString(sourceIp); // IPv6 compressed, no brackets
        boolean fillRport = forceRport || (via.hasRport() && via.rport() < 0);
        boolean addReceived = fillRport || via.hasRport() || !sameAddress(via.host(), sourceIp, sourceHost);
        String host;
        if (addReceived) {
            edits.setViaParam(via, "received", sourceHost);
            host = sourceHost;
        } else {
            host = NextHop.host(via);
        }
        int port;
        if (fillRport) {
            port = source.remote().getPort();
            edits.setViaParam(via, "rport", port);
        } else {
            port = NextHop.port(via);
        }
        return new ClientVia(host, port);
    }

    /** Sent-by equals the source when it is the same IP literal; a host name never is. */
    private static boolean sameAddress(String sentBy, InetAddress source, String sourceHost) {
        if (sentBy == null) {
            return false;
        }
        if (sentBy.equals(sourceHost)) {
            return true; // the usual spelling of an IPv4 address: no parse
        }
        String literal = NextHop.stripBrackets(sentBy);
        return InetAddresses.isInetAddress(literal) && InetAddresses.forString(literal).equals(source);
    }
}

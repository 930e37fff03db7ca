package io.siplb.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class FlowTokenCodecTest {

    private static final byte[] SECRET = "0123456789abcdef-shared-by-the-pair".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER_SECRET = "fedcba9876543210-another-pair".getBytes(StandardCharsets.US_ASCII);
    private static final FlowTokenCodec CODEC = FlowTokenCodec.of(SECRET);
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static final FlowToken UDP_V4 = FlowToken.udp(new InetSocketAddress(ip("198.51.100.7"), 49152));
    private static final FlowToken TCP_V6 = new FlowToken(Transport.TCP, ip("2001:db8::1:2"), 5060, 0x0102_0304_0506_0708L);
    private static final FlowToken TLS_V4 = new FlowToken(Transport.TLS, ip("203.0.113.9"), 5061, 42);
    private static final FlowToken UDP_V6 = new FlowToken(Transport.UDP, ip("2001:db8::ffff"), 1, 0);

    @Test
    void udpOverIpv4RoundTrips() {
        assertThat(CODEC.decode(CODEC.encode(UDP_V4))).isEqualTo(UDP_V4);
    }

    @Test
    void tcpOverIpv6RoundTripsWithItsConnectionId() {
        assertThat(CODEC.decode(CODEC.encode(TCP_V6))).isEqualTo(TCP_V6);
    }

    @Test
    void tlsAndUdpOverIpv6RoundTrip() {
        assertThat(CODEC.decode(CODEC.encode(TLS_V4))).isEqualTo(TLS_V4);
        assertThat(CODEC.decode(CODEC.encode(UDP_V6))).isEqualTo(UDP_V6);
    }

    @Test
    void tokensHaveFixedLengthsPerFamilyAndTransport() {
        assertThat(CODEC.encode(UDP_V4)).hasSize(23);
        assertThat(CODEC.encode(TLS_V4)).hasSize(34);
        assertThat(CODEC.encode(UDP_V6)).hasSize(39);
        assertThat(CODEC.encode(TCP_V6)).hasSize(FlowTokenCodec.MAX_TOKEN_CHARS).hasSize(50);
    }

    @Test
    void tokenIsPlainSipUriUserPart() {
        // RFC 3261 §25.1: base64url's - and _ are "mark" characters, so no escaping is needed
        for (FlowToken flow : List.of(UDP_V4, TCP_V6, TLS_V4, UDP_V6)) {
            assertThat(CODEC.encode(flow)).matches("[A-Za-z0-9_-]+");
        }
    }

    @Test
    void encodingIsDeterministicSoBothNodesWriteTheSameToken() {
        assertThat(FlowTokenCodec.of(SECRET).encode(TCP_V6)).isEqualTo(CODEC.encode(TCP_V6));
    }

    @Test
    void everyChangedCharacterIsRejected() {
        String token = CODEC.encode(TCP_V6);
        for (int i = 0; i < token.length(); i++) {
            for (int k = 0; k < ALPHABET.length(); k++) {
                char c = ALPHABET.charAt(k);
                if (c != token.charAt(i)) {
                    String tampered = token.substring(0, i) + c + token.substring(i + 1);
                    assertThat(CODEC.decode(tampered)).as("%s", tampered).isNull();
                }
            }
        }
    }

    @Test
    void everyFlippedBitIsRejected() {
        byte[] raw = Base64.getUrlDecoder().decode(CODEC.encode(UDP_V4));
        for (int bit = 0; bit < raw.length * 8; bit++) {
            byte[] tampered = raw.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));

            assertThat(CODEC.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(tampered))).isNull();
        }
    }

    @Test
    void everyTruncationIsRejected() {
        String token = CODEC.encode(TLS_V4);
        for (int length = 0; length < token.length(); length++) {
            assertThat(CODEC.decode(token.substring(0, length))).isNull();
        }
    }

    @Test
    void appendedCharactersAreRejected() {
        assertThat(CODEC.decode(CODEC.encode(UDP_V4) + "A")).isNull();
        assertThat(CODEC.decode(CODEC.encode(UDP_V4) + "AAAAAAAAAAA")).isNull();
    }

    @Test
    void tokenFromAnotherKeyIsRejected() {
        String foreign = FlowTokenCodec.of(OTHER_SECRET).encode(UDP_V4);

        assertThat(CODEC.decode(foreign)).isNull();
    }

    @Test
    void sameAddressOverAnotherTransportIsAnotherToken() {
        FlowToken tcp = new FlowToken(Transport.TCP, UDP_V4.address(), UDP_V4.port(), 0);
        FlowToken tls = new FlowToken(Transport.TLS, UDP_V4.address(), UDP_V4.port(), 0);

        assertThat(List.of(CODEC.encode(UDP_V4), CODEC.encode(tcp), CODEC.encode(tls))).doesNotHaveDuplicates();
        assertThat(CODEC.decode(CODEC.encode(tcp)).transport()).isEqualTo(Transport.TCP);
    }

    @Test
    void rewritingTheTransportOfASignedTokenIsRejected() {
        FlowToken tcp = new FlowToken(Transport.TCP, UDP_V4.address(), UDP_V4.port(), 7);
        byte[] raw = Base64.getUrlDecoder().decode(CODEC.encode(tcp));
        raw[FlowTokenCodec.MAC_BYTES] ^= 0x03; // TCP (1) -> TLS (2)

        assertThat(CODEC.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(raw))).isNull();
    }

    @Test
    void nonCanonicalSpellingOfAValidTokenIsRejected() {
        // 23 characters carry 17 bytes and 2 spare bits; a different last character that only
        // changes the spare bits would decode to the same bytes under a lenient decoder
        String token = CODEC.encode(UDP_V4);
        int last = ALPHABET.indexOf(token.charAt(token.length() - 1));
        String sibling = token.substring(0, token.length() - 1) + ALPHABET.charAt(last ^ 1);

        assertThat(Base64.getUrlDecoder().decode(sibling)).isEqualTo(Base64.getUrlDecoder().decode(token));
        assertThat(CODEC.decode(sibling)).isNull();
    }

    @Test
    void paddedOrStandardBase64IsRejected() {
        String token = CODEC.encode(TLS_V4); // 34 characters: base64 would pad with "=="

        assertThat(CODEC.decode(token + "==")).isNull();
        assertThat(CODEC.decode('+' + token.substring(1))).isNull();
        assertThat(CODEC.decode('/' + token.substring(1))).isNull();
    }

    @Test
    void nonAsciiIsRejected() {
        String token = CODEC.encode(UDP_V4);

        assertThat(CODEC.decode("\u00e9" + token.substring(1))).isNull();
    }

    @Test
    void retiredKeyStillVerifiesButNewTokensUseTheCurrentKey() {
        String old = FlowTokenCodec.of(OTHER_SECRET).encode(TCP_V6);
        FlowTokenCodec rotated = FlowTokenCodec.of(SECRET).withRetiredKey(OTHER_SECRET);

        assertThat(rotated.decode(old)).isEqualTo(TCP_V6);
        assertThat(rotated.encode(TCP_V6)).isEqualTo(CODEC.encode(TCP_V6));
        assertThat(CODEC.decode(old)).isNull();
    }

    @Test
    void decodesFromAByteBufRangeWithoutMovingItsIndices() {
        String token = CODEC.encode(TLS_V4);
        ByteBuf buf = Unpooled.copiedBuffer("Route: <sip:" + token + "@192.0.2.1;lr>", StandardCharsets.US_ASCII);
        try {
            int start = "Route: <sip:".length();

            assertThat(CODEC.decode(buf, start, start + token.length())).isEqualTo(TLS_V4);
            assertThat(CODEC.decode(buf, start, start + token.length() + 1)).isNull();
            assertThat(CODEC.decode(buf, start - 1, start + token.length() - 1)).isNull();
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void outOfRangeByteBufIndicesGiveNullNotAnException() {
        ByteBuf buf = Unpooled.buffer(8).writeZero(8);
        try {
            assertThat(CODEC.decode(buf, 4, 4 + 23)).isNull();
            assertThat(CODEC.decode(buf, -1, 22)).isNull();
        } finally {
            buf.release();
        }
    }

    @Test
    void rejectsASecretShorterThanSixteenBytes() {
        assertThatIllegalArgumentException().isThrownBy(() -> FlowTokenCodec.of(new byte[15]))
                .withMessage("secret: 15 bytes (expected: >= 16)");
    }

    @Test
    void laterChangesToTheSecretArrayDoNotChangeTheKey() {
        byte[] secret = SECRET.clone();
        FlowTokenCodec codec = FlowTokenCodec.of(secret);
        secret[0] ^= 1;

        assertThat(codec.encode(UDP_V4)).isEqualTo(CODEC.encode(UDP_V4));
    }

    @Test
    void toStringDoesNotShowTheSecret() {
        assertThat(CODEC.toString()).doesNotContain("0123456789abcdef").isEqualTo("FlowTokenCodec{keys=1}");
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int port = 1000 + t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        FlowToken flow = new FlowToken(Transport.TCP, UDP_V4.address(), port, i);
                        if (!flow.equals(CODEC.decode(CODEC.encode(flow)))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Property
    void anyFlowRoundTrips(@ForAll("flows") FlowToken flow) {
        assertThat(CODEC.decode(CODEC.encode(flow))).isEqualTo(flow);
    }

    @Property
    void arbitraryTextIsNeverAcceptedAndNeverThrows(@ForAll @StringLength(max = 60) String text) {
        assertThat(CODEC.decode(text)).isNull();
    }

    @Property
    void arbitraryBase64urlOfTokenLengthIsRejected(@ForAll("tokenShapedText") String text) {
        assertThat(CODEC.decode(text)).isNull();
    }

    @Provide
    Arbitrary<FlowToken> flows() {
        Arbitrary<InetAddress> address = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofSize(4),
                Arbitraries.bytes().array(byte[].class).ofSize(16)).map(FlowTokenCodecTest::ip);
        Arbitrary<Transport> transport = Arbitraries.of(Transport.class);
        Arbitrary<Integer> port = Arbitraries.integers().between(1, 65535);
        Arbitrary<Long> connection = Arbitraries.longs();
        return Combinators.combine(transport, address, port, connection)
                .as((t, a, p, c) -> new FlowToken(t, a, p, t.isStream() ? c : 0));
    }

    @Provide
    Arbitrary<String> tokenShapedText() {
        return Arbitraries.of(23, 34, 39, 50).flatMap(length ->
                Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofLength(length));
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: no DNS lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress ip(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}

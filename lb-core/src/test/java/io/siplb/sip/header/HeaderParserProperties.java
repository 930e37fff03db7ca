package io.siplb.sip.header;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Every parser, on any bytes: never throws, reads nothing outside its range (an exact-size buffer
 * would throw), and gives the same result whatever surrounds the range.
 */
class HeaderParserProperties {

    private static final Map<String, Wire.Parser<?>> PARSERS = Map.of(
            "Via", Via::parse,
            "SipUri", SipUri::parse,
            "NameAddr", NameAddr::parse,
            "CSeq", CSeq::parse,
            "MaxForwards", MaxForwards::parse,
            "HostPort", HostPort::parse);

    /** A typed parser over an array whose element {@code k + offset} is buffer byte {@code k}. */
    @FunctionalInterface
    interface ArrayParser<T> {
        T parse(byte[] bytes, int offset, int start, int end);
    }

    private static final Map<String, ArrayParser<?>> ARRAY_PARSERS = Map.of(
            "Via", Via::parseBytes,
            "SipUri", SipUri::parseBytes,
            "NameAddr", NameAddr::parseBytes,
            "CSeq", CSeq::parseBytes,
            "MaxForwards", MaxForwards::parseBytes);

    /** Valid values the mutations start from, so that random input reaches deep into each grammar. */
    private static final List<String> SEEDS = List.of(
            "SIP/2.0/UDP pc33.atlanta.com:5066;branch=z9hG4bK776asdhds;rport;received=192.0.2.1",
            "SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;rport;branch=390skdjuw",
            "SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255;branch=z9hG4bKas3",
            "SIP/2.0/TCP [::ffff:192.0.2.10]:19823;maddr=[2001:db8:::192.0.2.1];ttl=1;x=\"q\\\"v\"",
            "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1@example.com",
            "sips:sips%3Auser%40example.com@example.net:5061;%6C%72;transport=tcp?h=v&i=",
            "tel:+1-201-555-0123;ext=1234;phone-context=example.com",
            "soap.beep://192.0.2.103:3002",
            "\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8",
            "caller<sip:caller@[2001:db8::10:5070]>;tag=323;q=0.5",
            "sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n",
            "0009\r\n  INVITE",
            "0068",
            "[2001:db8::10]:5070");

    private static final String ALPHABET =
            "aAzZ09sipSIPtel:;=@<>\"\\/[].,% \t\r\n?&+-_!~*'()$`#\u0000\u007f\u00e9";

    @Property(tries = 3000)
    void parsersNeverThrowAndIgnoreWhatSurroundsTheRange(
            @ForAll("values") String value, @ForAll("junk") String before, @ForAll("junk") String after) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, Wire.Parser<?>> parser : PARSERS.entrySet()) {
            Object exact = parseExact(parser.getValue(), bytes);
            Object inA = parseSurrounded(parser.getValue(), bytes, before, after);
            Object inB = parseSurrounded(parser.getValue(), bytes, sameLength(before), sameLength(after));

            // how often each parser accepted the input: the report shows both outcomes are exercised
            Statistics.label(parser.getKey()).collect(inA != null && !Integer.valueOf(-1).equals(inA));
            assertThat(inA).as(parser.getKey()).usingRecursiveComparison().isEqualTo(inB);
            assertThat(String.valueOf(inA)).as(parser.getKey()).isEqualTo(String.valueOf(exact));
        }
    }

    /** Parses a buffer of exactly the value's size: any read outside [0, length) would throw. */
    private static Object parseExact(Wire.Parser<?> parser, byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            Object[] result = new Object[1];
            assertThatCode(() -> result[0] = parser.parse(buf, 0, bytes.length)).doesNotThrowAnyException();
            return result[0];
        } finally {
            buf.release();
        }
    }

    private static Object parseSurrounded(Wire.Parser<?> parser, byte[] bytes, String before, String after) {
        byte[] b = before.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeBytes(b).writeBytes(bytes).writeBytes(after.getBytes(StandardCharsets.ISO_8859_1));
            return parser.parse(buf, b.length, b.length + bytes.length);
        } finally {
            buf.release();
        }
    }

    /**
     * The parsers read heap buffers through their array and copy other buffers' bytes first: a
     * direct buffer, a heap buffer whose array starts before its index 0 (a slice), and a
     * composite whose components split the value must all give the same result.
     */
    @Property(tries = 1000)
    void parsersGiveTheSameResultWhateverHoldsTheBytes(
            @ForAll("values") String value, @ForAll("junk") String before, @ForAll("junk") String after) {
        byte[] b = before.getBytes(StandardCharsets.ISO_8859_1);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        byte[] wire = new byte[b.length + v.length + after.length()];
        System.arraycopy(b, 0, wire, 0, b.length);
        System.arraycopy(v, 0, wire, b.length, v.length);
        System.arraycopy(after.getBytes(StandardCharsets.ISO_8859_1), 0, wire, b.length + v.length, after.length());
        int start = b.length;
        int end = b.length + v.length;
        for (Map.Entry<String, Wire.Parser<?>> parser : PARSERS.entrySet()) {
            Object heap = parseIn(parser.getValue(), Unpooled.wrappedBuffer(wire), start, end);
            ByteBuf direct = Unpooled.directBuffer(wire.length).writeBytes(wire);
            byte[] padded = new byte[wire.length + 7];
            System.arraycopy(wire, 0, padded, 5, wire.length);
            ByteBuf slice = Unpooled.wrappedBuffer(padded).slice(5, wire.length);
            int split = (start + end) / 2;
            ByteBuf composite = Unpooled.wrappedBuffer(
                    Unpooled.copiedBuffer(wire, 0, split), Unpooled.copiedBuffer(wire, split, wire.length - split));
            for (ByteBuf buf : List.of(direct, slice, composite)) {
                assertThat(parseIn(parser.getValue(), buf, start, end)).as(parser.getKey() + " in " + buf)
                        .usingRecursiveComparison().isEqualTo(heap);
            }
            ArrayParser<?> arrayParser = ARRAY_PARSERS.get(parser.getKey());
            if (arrayParser != null) {
                // buffer byte k at padded[k + 5]: offsets in the result are still buffer offsets
                assertThat(arrayParser.parse(padded, 5, start, end)).as(parser.getKey() + " in an array")
                        .usingRecursiveComparison().isEqualTo(heap);
            }
        }
    }

    /** Parses {@code [start, end)} of {@code buf} and releases it. */
    private static Object parseIn(Wire.Parser<?> parser, ByteBuf buf, int start, int end) {
        try {
            return parser.parse(buf, start, end);
        } finally {
            buf.release();
        }
    }

    /** Different surroundings of the same length: what a parser that peeks outside would notice. */
    private static String sameLength(String junk) {
        return "x".repeat(junk.length());
    }

    @Provide
    Arbitrary<String> values() {
        Arbitrary<String> random = Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofMaxLength(60);
        Arbitrary<String> mutated = Combinators.combine(
                Arbitraries.of(SEEDS),
                Arbitraries.integers().between(0, 200).list().ofMaxSize(4),
                Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofMaxLength(3),
                Arbitraries.integers().between(0, 2)).as(HeaderParserProperties::mutate);
        return Arbitraries.oneOf(random, mutated, Arbitraries.of(SEEDS));
    }

    @Provide
    Arbitrary<String> junk() {
        // what sits next to a value in a message: separators, white space, more URI characters
        return Arbitraries.strings().withChars(" \t\r\n;:,<>\"@[]=%0aZ.").ofMaxLength(4);
    }

    private static String mutate(String seed, List<Integer> positions, String insert, int op) {
        StringBuilder sb = new StringBuilder(seed);
        for (int p : positions) {
            int at = p % (sb.length() + 1);
            switch (op) {
                case 0 -> sb.insert(at, insert);
                case 1 -> sb.delete(at, Math.min(sb.length(), at + 1 + insert.length()));
                default -> sb.replace(at, Math.min(sb.length(), at + insert.length()), insert);
            }
        }
        return sb.toString();
    }
}

package io.siplb.hash;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hashing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class AorHasherTest {

    @Property
    void fingerprintIsGuavasMurmur3x128WithTheFixedSeed(@ForAll @Size(max = 100) byte[] bytes) {
        long guava = Hashing.murmur3_128(AorHasher.SEED).hashBytes(bytes).asLong();

        assertThat(AorHasher.fingerprint(bytes, 0, bytes.length)).isEqualTo(guava);
    }

    @Property
    void stringIsHashedAsItsUtf8Bytes(@ForAll @StringLength(max = 80) String aor) {
        byte[] utf8 = aor.getBytes(StandardCharsets.UTF_8);

        assertThat(AorHasher.fingerprint(aor)).isEqualTo(AorHasher.fingerprint(utf8, 0, utf8.length));
    }

    @Property
    void byteBufRangeIsHashedLikeTheSameBytes(@ForAll @Size(max = 80) byte[] bytes) {
        ByteBuf buf = Unpooled.directBuffer(bytes.length + 7);
        try {
            buf.writeBytes(new byte[] {1, 2, 3}).writeBytes(bytes).writeBytes(new byte[] {4, 5, 6, 7});

            assertThat(AorHasher.fingerprint(buf, 3, 3 + bytes.length))
                    .isEqualTo(AorHasher.fingerprint(bytes, 0, bytes.length));
        } finally {
            buf.release();
        }
    }

    @Test
    void byteArraySliceIgnoresTheBytesAround() {
        byte[] padded = "xxalice@example.comyy".getBytes(StandardCharsets.US_ASCII);

        assertThat(AorHasher.fingerprint(padded, 2, 17)).isEqualTo(AorHasher.fingerprint("alice@example.com"));
    }

    @Test
    void byteBufIndicesAreLeftAlone() {
        ByteBuf buf = Unpooled.copiedBuffer("alice@example.com", StandardCharsets.US_ASCII);
        try {
            AorHasher.fingerprint(buf, 0, buf.writerIndex());

            assertThat(buf.readerIndex()).isZero();
            assertThat(buf.writerIndex()).isEqualTo(17);
        } finally {
            buf.release();
        }
    }

    @Test
    void caseMattersSoCallersMustNormaliseTheHost() {
        assertThat(AorHasher.fingerprint("alice@Example.com")).isNotEqualTo(AorHasher.fingerprint("alice@example.com"));
    }
}

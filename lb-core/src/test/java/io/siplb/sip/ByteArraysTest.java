package io.siplb.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The eight-bytes-at-a-time search the scanners use finds what a byte-by-byte search finds. */
class ByteArraysTest {

    @Test
    void findsTheFirstMatchEightBytesAtATimeWhereverItIs() {
        Random random = new Random(42);
        // bytes that differ from '\n' (0x0A) in one bit, or only in the high bit, must not match
        byte[] near = {0x0B, 0x08, 0x0E, (byte) 0x8A, 0x1A, 0x2A, 0x00, (byte) 0xFF, 0x09};
        for (int length = 0; length <= 40; length++) {
            for (int trial = 0; trial < 50; trial++) {
                byte[] a = new byte[length + 3];
                for (int k = 0; k < a.length; k++) {
                    a[k] = near[random.nextInt(near.length)];
                }
                int matches = random.nextInt(3);
                for (int m = 0; m < matches && length > 0; m++) {
                    a[1 + random.nextInt(length)] = '\n';
                }
                assertThat(ByteArrays.indexOf(a, 1, 1 + length, (byte) '\n'))
                        .as("length %s in %s", length, Arrays.toString(a))
                        .isEqualTo(naiveIndexOf(a, 1, 1 + length, (byte) '\n'));
            }
        }
    }

    @Test
    void findsTheFirstOfTwoBytesEightBytesAtATime() {
        Random random = new Random(7);
        byte[] near = {0x0B, ';', '9', (byte) 0xBA, 0x1A, 0x00, (byte) 0xFF, ' '};
        for (int length = 0; length <= 40; length++) {
            for (int trial = 0; trial < 50; trial++) {
                byte[] a = new byte[length + 3];
                for (int k = 0; k < a.length; k++) {
                    a[k] = near[random.nextInt(near.length)];
                }
                for (int m = random.nextInt(4); m > 0 && length > 0; m--) {
                    a[1 + random.nextInt(length)] = random.nextBoolean() ? (byte) ':' : (byte) '\n';
                }
                int colon = naiveIndexOf(a, 1, 1 + length, (byte) ':');
                int lf = naiveIndexOf(a, 1, 1 + length, (byte) '\n');
                int first = colon < 0 ? lf : lf < 0 ? colon : Math.min(colon, lf);
                assertThat(ByteArrays.indexOfEither(a, 1, 1 + length, (byte) ':', (byte) '\n'))
                        .as("length %s in %s", length, Arrays.toString(a)).isEqualTo(first);
            }
        }
    }

    private static int naiveIndexOf(byte[] a, int from, int to, byte b) {
        for (int k = from; k < to; k++) {
            if (a[k] == b) {
                return k;
            }
        }
        return -1;
    }

    @Test
    void readsNothingOutsideTheRange() {
        byte[] a = "\n\n\nabcdefghij\n\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(ByteArrays.indexOf(a, 3, 13, (byte) '\n')).isEqualTo(-1);
        assertThat(ByteArrays.indexOf(a, 3, 14, (byte) '\n')).isEqualTo(13);
    }
}

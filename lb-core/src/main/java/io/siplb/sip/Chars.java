package io.siplb.sip;

/** Byte classes of the RFC 3261 grammar (§25.1) used by the codec. */
final class Chars {

    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HT = '\t';

    private static final boolean[] TOKEN = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 'a' + 'A'] = true;
        }
        for (char c : "-.!%*_+`'~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    private Chars() {
    }

    /** RFC 3261 {@code token} character. */
    static boolean isToken(byte b) {
        return TOKEN[b & 0xFF];
    }

    /** SP or HTAB. */
    static boolean isWsp(byte b) {
        return b == SP || b == HT;
    }

    /** Linear white space inside one logical line: SP, HTAB, or the CR/LF of a fold. */
    static boolean isLws(byte b) {
        return b == SP || b == HT || b == CR || b == LF;
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}

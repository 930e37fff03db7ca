package io.siplb.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The blocks of a PEM file (RFC 7468): {@code -----BEGIN LABEL-----}, base64, {@code -----END
 * LABEL-----}; text outside blocks (the "explanatory text" openssl writes) is ignored. Reads at
 * start-up and on reload only, never on an event loop.
 */
final class Pem {

    private Pem() {}

    /** One block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY}, ...) and its text. */
    record Block(String label, String base64) {

        /**
         * The decoded bytes.
         *
         * @throws IllegalArgumentException when the text is not base64 (e.g. a legacy encrypted
         *                                  key with {@code Proc-Type:} headers)
         */
        byte[] der() {
            try {
                return Base64.getMimeDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the " + label + " block is not valid base64", e);
            }
        }
    }

    /**
     * Every block of {@code file}, in file order.
     *
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when a block is not closed
     */
    static List<Block> read(Path file) throws IOException {
        // PEM is ASCII; ISO-8859-1 reads any byte, so a binary (DER) file gives "no block", not an exception
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        List<Block> blocks = new ArrayList<>();
        int at = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN ", at);
            if (begin < 0) {
                return blocks;
            }
            int labelEnd = text.indexOf("-----", begin + 11);
            if (labelEnd < 0) {
                throw new IllegalArgumentException("a BEGIN line without its closing '-----'");
            }
            String label = text.substring(begin + 11, labelEnd);
            String endLine = "-----END " + label + "-----";
            int end = text.indexOf(endLine, labelEnd + 5);
            if (end < 0) {
                throw new IllegalArgumentException("'-----BEGIN " + label + "-----' without its END line");
            }
            blocks.add(new Block(label, text.substring(labelEnd + 5, end).trim()));
            at = end + endLine.length();
        }
    }
}

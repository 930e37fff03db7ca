package io.siplb.config;

import java.time.Duration;

/** The duration syntax of the configuration: a whole number and a unit, e.g. 500ms, 1s, 2m, 1h. */
final class Durations {

    /** What the loader says it expected; also used in record validation messages. */
    static final String EXPECTED = "a duration like 500ms or 2s";

    private Durations() {}

    /** Parses {@code 500ms}, {@code 1s}, {@code 2m} or {@code 1h}; {@code null} when malformed. */
    static Duration parse(String text) {
        int i = 0;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        // At most 9 digits: no overflow, and nobody means a billion hours.
        if (i == 0 || i > 9) {
            return null;
        }
        long amount = Long.parseLong(text.substring(0, i));
        switch (text.substring(i)) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            default:
                return null;
        }
    }

    /** Formats in the configuration's own syntax, with the largest unit that is exact. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && d.toNanos() % 1_000_000 == 0) {
            if (ms % 3_600_000 == 0) {
                return ms / 3_600_000 + "h";
            }
            if (ms % 60_000 == 0) {
                return ms / 60_000 + "m";
            }
            if (ms % 1000 == 0) {
                return ms / 1000 + "s";
            }
            return ms + "ms";
        }
        return d.isZero() ? "0s" : d.toString();
    }
}

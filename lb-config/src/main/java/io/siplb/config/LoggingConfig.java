package io.siplb.config;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * How siplb writes its log ({@code logging:} in the configuration). Logs go to stderr, one line
 * per state change, never one per message.
 *
 * <table>
 *   <caption>logging keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>format</td><td>text</td><td>{@code text}: one human-readable line per event;
 *       {@code json}: one JSON object per line (Logback's {@code JsonEncoder}) for a log
 *       pipeline. The environment variable {@code SIPLB_LOG_FORMAT} ({@code text} or
 *       {@code json}), when set, wins over this key and applies from the first line on</td></tr>
 * </table>
 *
 * @param format the log line format
 */
public record LoggingConfig(Format format) {

    /** The environment variable that overrides {@code logging.format}. */
    public static final String FORMAT_ENV = "SIPLB_LOG_FORMAT";

    /** Line formats. */
    public enum Format {
        TEXT, JSON;

        /** {@code text} or {@code json}, any case; {@code null} otherwise. */
        public static Format parse(String text) {
            requireNonNull(text, "text");
            switch (text.toLowerCase(Locale.ROOT)) {
                case "text":
                    return TEXT;
                case "json":
                    return JSON;
                default:
                    return null;
            }
        }
    }

    public static final Format DEFAULT_FORMAT = Format.TEXT;

    /** Every key at its default. */
    public static final LoggingConfig DEFAULTS = new LoggingConfig(DEFAULT_FORMAT);

    /** Applies the default. */
    public LoggingConfig {
        format = format == null ? DEFAULT_FORMAT : format;
    }
}

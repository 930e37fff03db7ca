package io.siplb.netty.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import io.siplb.config.LoggingConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches the log to one JSON object per line (Logback's own {@link JsonEncoder}, no extra
 * dependency) when {@code logging.format: json} is configured. {@code SIPLB_LOG_FORMAT=json} does
 * the same from the first line on (logback.xml reads it) and wins over the configuration.
 */
final class LogFormat {

    private LogFormat() {}

    /** Applies {@code configured} unless the environment already chose. */
    static void apply(LoggingConfig.Format configured) {
        String env = System.getenv(LoggingConfig.FORMAT_ENV);
        if (env != null && LoggingConfig.Format.parse(env) != null) {
            return; // logback.xml has applied it
        }
        if (configured == LoggingConfig.Format.JSON) {
            json();
        }
    }

    /** Replaces the root logger's console appender by one writing JSON lines to stderr. */
    static void json() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding: its own configuration decides
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root.getAppender("json") != null || root.getAppender("JSON") != null) {
            return;
        }
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("JSON");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        for (var it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> a = it.next();
            root.detachAppender(a);
            a.stop();
        }
        root.addAppender(appender);
    }
}

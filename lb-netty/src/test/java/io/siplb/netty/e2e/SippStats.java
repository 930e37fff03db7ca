package io.siplb.netty.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The final statistics of one SIPp run, from its {@code -trace_stat} CSV (the last data line;
 * "(C)" = cumulative columns).
 *
 * @param created         calls created ({@code TotalCallCreated})
 * @param successful      calls that reached the end of the scenario ({@code SuccessfulCall(C)})
 * @param failed          calls aborted for any reason ({@code FailedCall(C)})
 * @param retransmissions messages SIPp had to send again ({@code Retransmissions(C)}): 0 on a
 *                        clean loopback run, anything else means a message was lost or late
 * @param unexpected      calls failed on an unexpected message ({@code FailedUnexpectedMessage(C)})
 * @param timeouts        calls failed waiting for a message ({@code FailedTimeoutOnRecv(C)})
 * @param outOfCall       messages that matched no call ({@code OutOfCallMsgs(C)}): strays
 * @param raw             every column of the last line, by name
 */
record SippStats(long created, long successful, long failed, long retransmissions, long unexpected,
        long timeouts, long outOfCall, Map<String, String> raw) {

    /** Parses a SIPp statistics CSV (';'-separated, header line first). */
    static SippStats parse(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new UncheckedIOException("read SIPp statistics " + csv, e);
        }
        return parse(lines, csv.toString());
    }

    static SippStats parse(List<String> lines, String source) {
        if (lines.size() < 2) {
            throw new IllegalStateException("SIPp statistics " + source + " has no data line");
        }
        String[] names = lines.get(0).split(";", -1);
        String last = null;
        for (int i = lines.size() - 1; i > 0 && last == null; i--) {
            // SIPp may leave a partial line when killed; a complete one has all columns
            if (lines.get(i).split(";", -1).length >= names.length - 1) {
                last = lines.get(i);
            }
        }
        if (last == null) {
            throw new IllegalStateException("SIPp statistics " + source + " has no complete data line");
        }
        String[] values = last.split(";", -1);
        Map<String, String> raw = new HashMap<>();
        for (int i = 0; i < names.length && i < values.length; i++) {
            raw.put(names[i].trim(), values[i].trim());
        }
        return new SippStats(number(raw, "TotalCallCreated"), number(raw, "SuccessfulCall(C)"),
                number(raw, "FailedCall(C)"), number(raw, "Retransmissions(C)"),
                number(raw, "FailedUnexpectedMessage(C)"), number(raw, "FailedTimeoutOnRecv(C)"),
                number(raw, "OutOfCallMsgs(C)"), Map.copyOf(raw));
    }

    private static long number(Map<String, String> raw, String column) {
        String v = raw.get(column);
        if (v == null || v.isEmpty()) {
            return -1; // column absent in this SIPp version: -1, so no assertion passes by accident
        }
        return Long.parseLong(v);
    }

    @Override
    public String toString() {
        return "created=" + created + " successful=" + successful + " failed=" + failed
                + " retransmissions=" + retransmissions + " unexpected=" + unexpected
                + " timeouts=" + timeouts + " outOfCall=" + outOfCall;
    }
}

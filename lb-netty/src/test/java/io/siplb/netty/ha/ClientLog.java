package io.siplb.netty.ha;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a client saw of a takeover, from the lines of the ha scenarios' {@code <log>} actions
 * ({@code options-uac.xml}, {@code register-uac.xml}; the ha-lab's format):
 * <pre>
 * S &lt;call&gt; &lt;sec&gt; &lt;usec&gt;   request sent
 * A &lt;call&gt; &lt;sec&gt; &lt;usec&gt;   its 200 received
 * L &lt;call&gt; &lt;sec&gt; &lt;usec&gt;   no 200 within the answer timeout (no retransmissions): lost
 * </pre>
 * Times are wall-clock microseconds on the same host as the test, so they compare with the
 * time the test injected the failure. The measures are those of the ha-lab's analyze.py.
 */
final class ClientLog {

    private final Map<Long, Long> sent = new HashMap<>();
    private final List<Long> answers = new ArrayList<>();
    private final Map<Long, Long> lost = new HashMap<>();

    private ClientLog() {}

    static ClientLog parse(List<String> lines) {
        ClientLog log = new ClientLog();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || f[0].length() != 1 || "SAL".indexOf(f[0].charAt(0)) < 0) {
                continue;
            }
            long call;
            long micros;
            try {
                call = Long.parseLong(f[1]);
                // SIPp prints its variables as doubles: "1795646825.000000 635760.000000"
                micros = (long) Double.parseDouble(f[2]) * 1_000_000L + (long) Double.parseDouble(f[3]);
            } catch (NumberFormatException e) {
                continue;
            }
            switch (f[0].charAt(0)) {
                case 'S' -> log.sent.put(call, micros);
                case 'A' -> log.answers.add(micros);
                default -> log.lost.put(call, micros);
            }
        }
        Collections.sort(log.answers);
        return log;
    }

    int sent() {
        return sent.size();
    }

    int answered() {
        return answers.size();
    }

    /** Requests without a 200 within the answer timeout. */
    int lost() {
        return lost.size();
    }

    /** Requests sent at or after {@code fromMicros} that were lost. */
    int lostSentFrom(long fromMicros) {
        int n = 0;
        for (long call : lost.keySet()) {
            Long t = sent.get(call);
            if (t != null && t >= fromMicros) {
                n++;
            }
        }
        return n;
    }

    /** Requests that got no line at all (neither answered nor lost: the run was cut short). */
    int unaccounted() {
        Set<Long> calls = new HashSet<>(sent.keySet());
        calls.removeAll(lost.keySet());
        return Math.max(0, calls.size() - answers.size());
    }

    /**
     * The longest interval, in ms, between two consecutive answers from 1 s before
     * {@code fromMicros} on, ending after it (the outage as the client sees it: analyze.py's
     * gap_ms); when the answers stop for good, the time from the last answer to the last
     * request sent. -1 when there is no answer at all.
     */
    long gapMillisAfter(long fromMicros) {
        long gap = -1;
        Long previous = null;
        for (long t : answers) {
            if (previous != null && t > fromMicros && previous >= fromMicros - 1_000_000) {
                gap = Math.max(gap, t - previous);
            }
            previous = t;
        }
        if (previous != null) {
            long lastSent = sent.values().stream().mapToLong(Long::longValue).max().orElse(previous);
            boolean tailLost = lost.keySet().stream().anyMatch(c -> sent.getOrDefault(c, 0L) > answers.get(
                    answers.size() - 1));
            if (tailLost) {
                gap = Math.max(gap, lastSent - previous);
            }
        }
        return gap < 0 ? -1 : gap / 1000;
    }

    /**
     * The longest interval, in ms, between two consecutive requests sent from 1 s before
     * {@code fromMicros} on: at 100/s about 10; much more means the client itself was starved
     * of CPU (a busy machine), which shows as a gap in the answers that is not the LB's.
     */
    long sendGapMillisAfter(long fromMicros) {
        long[] times = sent.values().stream().mapToLong(Long::longValue).filter(t -> t >= fromMicros - 1_000_000)
                .sorted().toArray();
        long gap = 0;
        for (int i = 1; i < times.length; i++) {
            gap = Math.max(gap, times[i] - times[i - 1]);
        }
        return gap / 1000;
    }

    /** Answers received after {@code fromMicros}. */
    int answeredAfter(long fromMicros) {
        int n = 0;
        for (long t : answers) {
            if (t > fromMicros) {
                n++;
            }
        }
        return n;
    }

    /** One line for test output and assertion messages. */
    String summary(long failMicros) {
        return "sent " + sent() + ", answered " + answered() + ", lost " + lost() + ", gap " + gapMillisAfter(failMicros)
                + " ms, answered after the failure " + answeredAfter(failMicros) + " (client's own largest send gap "
                + sendGapMillisAfter(failMicros) + " ms)";
    }
}

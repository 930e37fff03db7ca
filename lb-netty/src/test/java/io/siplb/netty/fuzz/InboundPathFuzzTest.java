package io.siplb.netty.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * Issue 8: Jazzer over siplb's whole inbound path ({@link InboundPath}: bytes from a client or a
 * backend, over UDP or TCP → guard → framing and parsing → routing → splice → bytes out), seeded
 * with the RFC 4475, RFC 5118 and RFC 3665 messages and siplb's own signed Vias and flow tokens
 * ({@link FuzzSeeds}). Each input must leave no exception, no leaked buffer, no send to an address
 * that is neither a backend nor the sender nor a client siplb signed the way to, and only output
 * that parses (and verifies when the input did).
 *
 * <p>Without {@code JAZZER_FUZZ} (every {@code mvn verify}) this runs each seed once, and every
 * input under {@code src/test/resources/io/siplb/netty/fuzz/InboundPathFuzzTestInputs/inboundPath}
 * (where Jazzer puts a crash it finds): a regression test of a few seconds. With
 * {@code JAZZER_FUZZ=1} (the {@code fuzz} profile, on in CI) Jazzer mutates the seeds for
 * {@code maxDuration}; a finding fails the build, and becomes a test in {@link InboundPathTest}
 * with its input inline once fixed.
 */
class InboundPathFuzzTest {

    /** One path for every input: building it costs far more than an input. */
    private static final InboundPath PATH = new InboundPath();

    static Stream<Arguments> seeds() {
        return FuzzSeeds.all().stream().map(s -> Arguments.of(Named.of(s.name(), s.input())));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "90s")
    void inboundPath(byte[] input) {
        PATH.run(input);
    }
}

package io.siplb.netty.cli;

import com.google.common.net.InetAddresses;
import io.siplb.route.FlowToken;
import io.siplb.route.FlowTokenCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code siplb decode-token --config FILE TOKEN}: verifies a flow token (the user part of our
 * Path or Record-Route URI) with the configured secret and prints the flow it names:
 * {@code transport=UDP address=192.0.2.10 port=5060 connection=0}. Prints "invalid token" and
 * exits 1 when it does not verify (another key, altered, not a token).
 */
@Command(name = "decode-token", mixinStandardHelpOptions = true,
        description = "Verify a flow token and print the flow: transport, address, port, connection id.")
final class DecodeTokenCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "TOKEN", description = "the user part of a siplb Path or Record-Route URI")
    String token;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // Only the secret is needed: no backend resolution, so this works on any machine.
        FlowTokenCodec codec = FlowTokenCodec.of(config.load().flowToken().secret());
        FlowToken flow = codec.decode(token.strip());
        if (flow == null) {
            spec.commandLine().getOut().println("invalid token");
            return 1;
        }
        spec.commandLine().getOut().println("transport=" + flow.transport()
                + " address=" + InetAddresses.toAddrString(flow.address())
                + " port=" + flow.port()
                + " connection=" + flow.connectionId());
        return 0;
    }
}

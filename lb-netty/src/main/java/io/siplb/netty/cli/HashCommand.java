package io.siplb.netty.cli;

import io.siplb.hash.Backend;
import io.siplb.hash.BackendState;
import io.siplb.hash.BackendView;
import io.siplb.netty.Assembly;
import io.siplb.route.RoutingView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code siplb hash --config FILE [--down ID[,ID...]] AOR...}: the home proxy of each AOR, as
 * routing would choose it with the configured backends, less the ones named down. Prints
 * {@code AOR<TAB>BACKEND_ID} per AOR (the AOR as given; {@code -} when no backend is up). With
 * {@code -} as the only AOR, reads AORs from stdin, one per line. An AOR that is not a SIP or
 * tel URI is reported on stderr and the exit code is 1.
 */
@Command(name = "hash", mixinStandardHelpOptions = true,
        description = "Print the home proxy of each AOR (AOR<TAB>BACKEND_ID), as routing would pick it.")
final class HashCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--down", split = ",", paramLabel = "ID",
            description = "treat these backends as down (comma-separated ids)")
    List<String> down = new ArrayList<>();

    @Parameters(arity = "1..*", paramLabel = "AOR",
            description = "user@host, sip:user@host or tel:+number; '-' reads AORs from stdin, one per line")
    List<String> aors;

    @Spec
    CommandSpec spec;

    private final InputStream stdin;

    HashCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws IOException {
        BackendView backends = Assembly.of(config.load()).backendView();
        for (String id : down) {
            if (backends.indexOf(id) < 0) {
                throw new ParameterException(spec.commandLine(),
                        "--down: unknown backend '" + id + "' (expected: one of " + ids(backends) + ")");
            }
            backends = backends.withState(id, BackendState.DOWN);
        }
        RoutingView view = RoutingView.of(backends);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean allValid = true;
        for (String text : input()) {
            String aor = AorArgument.normalise(text);
            if (aor == null) {
                err.println("siplb hash: '" + text + "' is not an AOR (expected: user@host, sip:user@host or tel:+number)");
                allValid = false;
                continue;
            }
            Backend home = view.select(aor);
            out.println(text + '\t' + (home == null ? "-" : home.id()));
        }
        out.flush();
        return allValid ? 0 : 1;
    }

    private List<String> input() throws IOException {
        if (aors.size() != 1 || !aors.get(0).equals("-")) {
            return aors;
        }
        List<String> lines = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty()) {
                lines.add(trimmed);
            }
        }
        return lines;
    }

    private static String ids(BackendView backends) {
        List<String> ids = new ArrayList<>();
        for (Backend b : backends.backends()) {
            ids.add(b.id());
        }
        return String.join(", ", ids);
    }
}

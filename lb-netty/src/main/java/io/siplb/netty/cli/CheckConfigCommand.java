package io.siplb.netty.cli;

import io.siplb.config.ConfigException;
import io.siplb.config.ConfigProblem;
import io.siplb.config.SiplbConfig;
import io.siplb.netty.Assembly;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code siplb check-config --config FILE}: prints "ok" and exits 0 when the configuration loads,
 * validates and maps onto the core (backend host names resolve); otherwise prints every problem,
 * one per line with file, line, column and key, and exits 1.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a configuration file: prints ok, or every problem with file, line and key.")
final class CheckConfigCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        SiplbConfig loaded;
        try {
            loaded = config.load();
        } catch (ConfigException e) {
            for (ConfigProblem problem : e.problems()) {
                err.println(problem);
            }
            return 1;
        }
        try {
            Assembly.of(loaded); // what start-up does next: a host name that does not resolve fails here
            if (loaded.tls() != null) {
                io.siplb.netty.tls.TlsContexts.check(loaded.tls()); // what only the TLS engine refuses
            }
        } catch (IllegalArgumentException e) {
            err.println(config.file + ": " + e.getMessage());
            return 1;
        }
        spec.commandLine().getOut().println("ok");
        return 0;
    }
}

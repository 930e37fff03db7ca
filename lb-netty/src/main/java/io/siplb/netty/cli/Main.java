package io.siplb.netty.cli;

import io.siplb.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.InputStream;

/**
 * The {@code siplb} command line: {@code run}, {@code check-config}, {@code hash},
 * {@code decode-token}, {@code health}.
 *
 * <p>Exit codes: 0 success; 1 the command ran and failed (invalid configuration, invalid token,
 * cannot start); 2 usage error (unknown option, missing argument). Errors go to stderr, one
 * line each; results to stdout.
 */
@Command(name = "siplb", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "SIP-aware load balancer and stateless edge proxy.",
        subcommands = {RunCommand.class, CheckConfigCommand.class, HashCommand.class, DecodeTokenCommand.class,
                HealthCommand.class})
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command (expected: run, check-config, hash, decode-token or health)");
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.in).execute(args));
    }

    /**
     * The command line, with {@code stdin} as the input of {@code hash -} (tests pass their
     * own). Set its out and err writers to capture output.
     */
    public static CommandLine commandLine(InputStream stdin) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                return cls == HashCommand.class ? cls.cast(new HashCommand(stdin)) : defaults.create(cls);
            }
        };
        CommandLine cl = new CommandLine(new Main(), factory);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                for (var problem : ((ConfigException) e).problems()) {
                    commandLine.getErr().println(problem);
                }
            } else {
                commandLine.getErr().println("siplb: " + e.getMessage());
            }
            return 1;
        });
        return cl;
    }

    /** The version from the jar manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"siplb " + (v == null ? "(development build)" : v)};
        }
    }
}

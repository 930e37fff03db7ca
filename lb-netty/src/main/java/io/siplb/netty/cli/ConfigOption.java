package io.siplb.netty.cli;

import io.siplb.config.ConfigLoader;
import io.siplb.config.SiplbConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --config FILE} option every subcommand takes. */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "the siplb YAML configuration")
    Path file;

    /** Reads and validates the file; throws {@code ConfigException} listing every problem. */
    SiplbConfig load() {
        return ConfigLoader.load(file);
    }
}

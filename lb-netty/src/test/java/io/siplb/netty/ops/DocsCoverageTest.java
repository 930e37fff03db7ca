package io.siplb.netty.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.netty.cli.Main;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/ covers every configuration key, siplb metric and CLI command that exists. */
class DocsCoverageTest {

    private static final Path DOCS = Tools.repoRoot().resolve("docs");

    @Test
    @SuppressWarnings("unchecked")
    void configurationReferenceNamesEveryKey() throws Exception {
        String doc = Files.readString(DOCS.resolve("configuration.md"));
        // the key lists the loader accepts (unknown keys are rejected), read from lb-config
        Class<?> reader = Class.forName("io.siplb.config.ConfigReader");
        List<String> missing = new ArrayList<>();
        int keys = 0;
        for (Field f : reader.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getName().endsWith("_KEYS")) {
                f.setAccessible(true);
                for (String key : (List<String>) f.get(null)) {
                    keys++;
                    if (!doc.contains("`" + key + "`")) {
                        missing.add(f.getName() + ": " + key);
                    }
                }
            }
        }
        assertThat(keys).isGreaterThan(40);
        assertThat(missing).as("keys missing from docs/configuration.md").isEmpty();
    }

    @Test
    void metricsReferenceNamesEverySiplbMetric() throws Exception {
        String doc = Files.readString(DOCS.resolve("metrics.md"));
        Set<String> names = new TreeSet<>();
        try (Lab lab = new Lab()) {
            for (String line : lab.get("/metrics").body().split("\n")) {
                if (line.startsWith("# TYPE siplb_")) {
                    names.add(line.split(" ")[2]);
                }
            }
        }
        assertThat(names).hasSizeGreaterThan(10);
        List<String> missing = names.stream().filter(n -> !doc.contains("`" + n)).toList();
        assertThat(missing).as("metrics missing from docs/metrics.md").isEmpty();
    }

    @Test
    void cliReferenceNamesEveryCommand() throws Exception {
        String doc = Files.readString(DOCS.resolve("cli.md"));
        Set<String> commands = Main.commandLine(new ByteArrayInputStream(new byte[0])).getSubcommands().keySet();

        assertThat(commands).contains("run", "check-config");
        for (String c : commands) {
            assertThat(doc).as("docs/cli.md").contains("## `siplb " + c);
        }
    }

    @Test
    void readmeLinksTheOperatorDocumentation() throws Exception {
        String readme = Files.readString(Tools.repoRoot().resolve("README.md"));

        assertThat(readme).contains("docs/configuration.md", "docs/metrics.md", "docs/admin.md", "docs/cli.md");
    }
}

package io.siplb.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a siplb YAML configuration (YAML 1.2) into a {@link SiplbConfig}.
 *
 * <p>The text is composed into a node tree, so every value keeps its line and column, and
 * then walked against the schema. Every problem is collected, not just the first: unknown
 * keys (with the nearest valid key suggested), values of the wrong type (saying what was
 * expected), values out of range, then the cross-record rules of {@link ConfigValidator}.
 * If there is any, a {@link ConfigException} lists them all, each with file, line, column
 * and key path.
 *
 * <p>Durations are written as a whole number and a unit: {@code 500ms}, {@code 1s},
 * {@code 2m}, {@code 1h}. A relative {@code flow-token.secret-file} is resolved against the
 * directory of the configuration file (for {@link #load(String, String)}: the working
 * directory).
 *
 * <p>Thread-safe: it has no state.
 */
public final class ConfigLoader {

    /** Keeps a hostile file from expanding into a huge tree ("billion laughs"). */
    private static final int MAX_ALIASES = 50;

    private ConfigLoader() {}

    /**
     * Reads and validates the configuration file at {@code file}.
     *
     * @throws ConfigException when the file cannot be read or the configuration is not valid
     */
    public static SiplbConfig load(Path file) {
        requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), 0, 0, "",
                    "cannot read the configuration: " + describe(e))));
        }
        Path dir = file.toAbsolutePath().getParent();
        return load(text, file.toString(), dir == null ? Path.of("") : dir);
    }

    /**
     * Reads and validates configuration text; a relative {@code secret-file} is resolved
     * against the working directory.
     *
     * @param sourceName what problems call the source, usually the file name
     * @throws ConfigException when the configuration is not valid
     */
    public static SiplbConfig load(String text, String sourceName) {
        return load(text, sourceName, Path.of(""));
    }

    /**
     * Reads and validates configuration text; a relative {@code secret-file} is resolved
     * against {@code baseDir}.
     *
     * @throws ConfigException when the configuration is not valid
     */
    public static SiplbConfig load(String text, String sourceName, Path baseDir) {
        requireNonNull(text, "text");
        requireNonNull(sourceName, "sourceName");
        requireNonNull(baseDir, "baseDir");
        Node root = compose(text, sourceName);
        return new ConfigReader(sourceName, baseDir).read(root);
    }

    /** YAML text to a node tree; syntax errors become a {@link ConfigException} with the position. */
    private static Node compose(String text, String sourceName) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(sourceName)
                .setUseMarks(true)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setAllowRecursiveKeys(false)
                .build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            // getProblem()/getContext() name tokens, not file contents; the snippet that
            // getMessage() adds could show a secret, so it is left out.
            Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            int line = mark.map(m -> m.getLine() + 1).orElse(0);
            throw syntaxError(sourceName, line, mark.map(m -> m.getColumn() + 1).orElse(0),
                    "YAML syntax error: " + e.getProblem() + context + ipv6Hint(text, line));
        } catch (ReaderException e) {
            int[] lineColumn = lineColumn(text, e.getPosition());
            throw syntaxError(sourceName, lineColumn[0], lineColumn[1], String.format(
                    "YAML syntax error: character U+%04X is not allowed", e.getCodePoint()));
        } catch (YamlEngineException e) {
            throw syntaxError(sourceName, 0, 0, "YAML syntax error: " + e.getMessage());
        }
        if (root.isEmpty()) {
            throw syntaxError(sourceName, 0, 0,
                    "the configuration is empty (expected: a mapping with listen, backends and "
                            + "flow-token; see deploy/siplb.example.yaml)");
        }
        return root.get();
    }

    /** An IPv6 literal such as {@code [::1]}: brackets YAML would take for a flow sequence. */
    private static final Pattern BRACKETED_IPV6 = Pattern.compile("\\[[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*]");

    /**
     * The usual cause of a bracket syntax error in a siplb file is an unquoted IPv6 address
     * ({@code listen: [udp://[::1]:5060]}, {@code advertise: [::1]:5060}); say so. The line
     * is only searched, never quoted back (it might hold the secret).
     */
    private static String ipv6Hint(String text, int line) {
        String[] lines = text.split("\n", -1);
        if (line < 1 || line > lines.length || !BRACKETED_IPV6.matcher(lines[line - 1]).find()) {
            return "";
        }
        return "; quote a value with an IPv6 address in brackets, like \"udp://[::1]:5060\"";
    }

    private static ConfigException syntaxError(String source, int line, int column, String message) {
        return new ConfigException(List.of(new ConfigProblem(source, line, column, "", message)));
    }

    /** 1-based line and column of the code point at {@code position}. */
    private static int[] lineColumn(String text, int position) {
        int line = 1;
        int column = 1;
        int offset = 0;
        for (int cp = 0; cp < position && offset < text.length(); cp++) {
            int c = text.codePointAt(offset);
            offset += Character.charCount(c);
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }

    /** An I/O failure in operator words. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file '" + e.getMessage() + "'";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied on '" + e.getMessage() + "'";
        }
        if (e instanceof CharacterCodingException) {
            return "not valid UTF-8";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}

package io.sparkmdn.jobs;

import io.sparkmdn.nn.NativeBinary;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * Runs a job command and states, in one place, where configuration comes from: a command-line option wins,
 * then the key of the same name in the configuration file, then the option's built-in default.
 *
 * <p>The configuration file is named by {@code --config FILE}, else by the environment variable
 * {@value #CONFIG_ENV}; with neither, built-in defaults apply. Its keys are long option names without the
 * dashes ({@code batch-size = 256}). Errors a user can fix (bad values, missing columns, existing outputs)
 * are printed as one line, without a stack trace, and exit with status 2; other failures exit with 1.
 */
public final class JobRunner {

    /** Environment variable naming the configuration file when {@code --config} is not given. */
    public static final String CONFIG_ENV = "SPARK_MDN_CONFIG";
    static final String CONFIG_OPTION = "--config";

    /** What every job's exit status means, as its {@code --help} lists it. */
    static final Map<String, String> EXIT_CODES = exitCodes();

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "done");
        codes.put("1", "an unexpected failure (its stack trace is printed)");
        codes.put("2", "a problem to fix, named in one line: a bad option or value, bad input, an output that "
                + "exists or overlaps an input, a checkpoint that cannot be resumed");
        return codes;
    }

    private JobRunner() {
    }

    /** Parses {@code args} into {@code command}, runs it and returns the exit status. */
    public static int run(Object command, String[] args) {
        NativeBinary.select(); // before anything loads ND4J
        CommandLine cli;
        try {
            cli = commandLine(command, args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                cmd.getErr().println(cmd.getColorScheme().errorText("error: " + e.getMessage()));
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** The command line for {@code command}, with defaults from the configuration file {@code args} names. */
    static CommandLine commandLine(Object command, String[] args) {
        CommandLine cli = new CommandLine(command);
        cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODES);
        Properties config = loadConfig(configPath(args));
        cli.setDefaultValueProvider(new ConfigDefaults(config));
        return cli;
    }

    static Path configPath(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(CONFIG_OPTION) && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith(CONFIG_OPTION + "=")) {
                return Path.of(args[i].substring(CONFIG_OPTION.length() + 1));
            }
        }
        String env = System.getenv(CONFIG_ENV);
        return env == null || env.isBlank() ? null : Path.of(env);
    }

    private static Properties loadConfig(Path path) {
        Properties props = new Properties();
        if (path == null) {
            return props;
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("Configuration file not found: " + path);
        }
        try (Reader in = Files.newBufferedReader(path)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read configuration file " + path, e);
        }
        return props;
    }

    /** Default values from the configuration file, keyed by long option name without dashes. */
    private record ConfigDefaults(Properties config) implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            if (arg instanceof OptionSpec option) {
                String value = config.getProperty(option.longestName().replaceFirst("^-+", ""));
                return value == null ? null : value.trim();
            }
            return null;
        }
    }
}

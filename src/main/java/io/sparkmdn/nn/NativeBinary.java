package io.sparkmdn.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses ND4J's native binary before ND4J loads: the AVX2 build ({@code nd4j-native}, classifier
 * {@code linux-x86_64-avx2}) where the CPU has AVX2 and FMA, the generic x86-64 build otherwise. Both ship in
 * the jar; JavaCPP tries the AVX2 one first, and ND4J ends the JVM (System.exit) when that binary meets a CPU
 * without the instructions, so on such a CPU this sets JavaCPP's platform extension to the generic build.
 * A choice already made with {@code -Dorg.bytedeco.javacpp.platform.extension=…} is left alone (an empty value
 * forces the generic build anywhere).
 *
 * <p>Runs in every JVM that may load ND4J: the jobs' {@code main} ({@code JobRunner}) and each executor, through
 * {@code io.sparkmdn.spark.NativeBinaryPlugin} (set by the jobs' sessions in {@code spark.plugins}).
 */
public final class NativeBinary {

    private static final Logger LOG = LoggerFactory.getLogger(NativeBinary.class);

    /** JavaCPP's system property naming the build variant to load (the classifier's suffix, e.g. -avx2). */
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";

    private static final Set<String> AVX2_BUILD_NEEDS = Set.of("avx2", "fma");

    private NativeBinary() {
    }

    /** Picks the build for this CPU (once per JVM; later calls return the first answer). */
    public static synchronized String select() {
        String chosen = System.getProperty(EXTENSION_PROPERTY);
        if (chosen != null) {
            return chosen.isEmpty() ? "generic" : chosen;
        }
        Set<String> flags = cpuFlags(Path.of("/proc/cpuinfo"));
        if (extensionFor(flags).equals("-avx2")) {
            return "-avx2";
        }
        System.setProperty(EXTENSION_PROPERTY, "");
        LOG.info("CPU without {}: using ND4J's generic x86-64 build", flags == null ? "readable CPU flags"
                : AVX2_BUILD_NEEDS.stream().filter(f -> !flags.contains(f)).sorted().collect(Collectors.joining(" and ")));
        return "generic";
    }

    /** The build for a CPU with these flags: "-avx2" with AVX2 and FMA, "" (generic) otherwise or unknown. */
    static String extensionFor(Set<String> flags) {
        return flags != null && flags.containsAll(AVX2_BUILD_NEEDS) ? "-avx2" : "";
    }

    /**
     * The flags of the first processor in a Linux {@code /proc/cpuinfo}, lower case; null where the file is
     * missing or unreadable (not Linux): the generic build is then chosen, which runs on any x86-64 CPU.
     */
    static Set<String> cpuFlags(Path cpuinfo) {
        if (!Files.isReadable(cpuinfo)) {
            return null;
        }
        try {
            return Files.readAllLines(cpuinfo).stream()
                    .filter(line -> line.startsWith("flags") && line.contains(":"))
                    .findFirst()
                    .map(line -> Arrays.stream(line.substring(line.indexOf(':') + 1).trim().split("\\s+"))
                            .map(f -> f.toLowerCase(Locale.ROOT)).collect(Collectors.toSet()))
                    .orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

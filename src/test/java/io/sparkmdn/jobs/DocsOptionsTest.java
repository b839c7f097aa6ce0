package io.sparkmdn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and the pages in {@code docs/} show command lines and a table of the jobs; every option they name for
 * a job is one of that job's options (so a renamed or removed option cannot leave the docs behind).
 */
class DocsOptionsTest {

    private static final Pattern COMMAND = Pattern.compile("(?:jobs/|\\b)(generate|train|params|sample|score|"
            + "evaluate|calibrate|report|model)(?:\\.sh)?\\b");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--([a-z][a-z-]*)");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `([a-z]+)` \\|(.*)$");

    static List<Path> pages() {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    /** Every problem found: "file:line: --option is not an option of job". */
    static List<String> problems(Path page, Map<String, Set<String>> jobs) throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> lines = Files.readAllLines(page);
        boolean code = false;
        String continued = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                code = !code;
                continued = null;
                continue;
            }
            String job = null;
            String text = line;
            if (code) {
                Matcher m = Pattern.compile("^\\s*jobs/([a-z]+)\\.sh\\b").matcher(line);
                job = m.find() ? m.group(1) : continued;
                continued = line.stripTrailing().endsWith("\\") ? job : null;
            } else {
                Matcher row = TABLE_ROW.matcher(line);
                if (row.find() && jobs.containsKey(row.group(1))) {
                    job = row.group(1);
                    text = row.group(2);
                }
            }
            if (job == null || !jobs.containsKey(job)) {
                continue;
            }
            Matcher o = OPTION.matcher(text.replaceAll("#.*$", ""));
            while (o.find()) {
                if (!jobs.get(job).contains(o.group(1))) {
                    problems.add(page + ":" + (i + 1) + ": --" + o.group(1) + " is not an option of " + job);
                }
            }
        }
        return problems;
    }

    @Test
    void everyOptionTheDocsGiveAJobIsOneOfItsOptions() throws IOException {
        Map<String, Set<String>> jobs = JobRunner.jobKeys();
        List<String> problems = new ArrayList<>();
        int pages = 0;
        for (Path page : pages()) {
            pages++;
            problems.addAll(problems(page, jobs));
        }
        assertTrue(pages >= 6, "README and docs pages found: " + pages);
        assertEquals(List.of(), problems);
    }

    @Test
    void aRenamedOptionInTheDocsIsCaught(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path page = Files.writeString(dir.resolve("page.md"), "```bash\njobs/train.sh --input d --model m \\\n"
                + "  --mixture 3\n```\n| `score` | answers | `--keep-columns`, `--quantile` |\n");
        assertEquals(List.of(page + ":3: --mixture is not an option of train",
                page + ":5: --quantile is not an option of score"), problems(page, JobRunner.jobKeys()));
    }
}

package io.sparkmdn.report;

import java.util.Map;

/**
 * The report's page: one self-contained HTML file (inline style, no scripts, nothing fetched) that shows the
 * metrics as a table and each figure by the relative file name of its PNG, with its caption.
 */
public final class HtmlReport {

    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
                   max-width: 1240px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
            h1 { font-size: 1.7em; margin-bottom: 0.2em; }
            h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
            .sources, .skipped { color: #555; font-size: 0.92em; }
            table { border-collapse: collapse; margin: 0.5em 0; }
            td, th { padding: 0.3em 0.9em; border-bottom: 1px solid #e5e5e5; text-align: left; }
            td.v { text-align: right; font-variant-numeric: tabular-nums; }
            figure { margin: 0.5em 0 1.5em 0; }
            img { max-width: 100%; height: auto; border: 1px solid #eee; }
            figcaption { color: #444; max-width: 800px; margin-top: 0.4em; }
            """;

    private HtmlReport() {
    }

    /** The page of {@code report}, titled {@code title}. */
    public static String render(Report report, String title) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(title)).append("</title>\n<style>\n").append(STYLE)
                .append("</style>\n</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n");
        if (!report.sources().isEmpty()) {
            h.append("<ul class=\"sources\">\n");
            report.sources().forEach(s -> h.append("<li>").append(escape(s)).append("</li>\n"));
            h.append("</ul>\n");
        }
        if (report.metrics() != null) {
            h.append("<h2>Metrics</h2>\n<table>\n<tr><th>metric</th><th>value</th></tr>\n");
            for (Map.Entry<String, String> row : report.metrics().table()) {
                h.append("<tr><td>").append(escape(row.getKey())).append("</td><td class=\"v\">")
                        .append(escape(row.getValue())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        for (Figure f : report.figures()) {
            h.append("<h2>").append(escape(f.title())).append("</h2>\n<figure>\n<img src=\"")
                    .append(escape(f.file())).append("\" width=\"").append(f.image().getWidth())
                    .append("\" height=\"").append(f.image().getHeight()).append("\" alt=\"")
                    .append(escape(f.title())).append("\">\n<figcaption>").append(escape(f.caption()))
                    .append("</figcaption>\n</figure>\n");
        }
        if (!report.skipped().isEmpty()) {
            h.append("<h2>Left out</h2>\n<ul class=\"skipped\">\n");
            report.skipped().forEach(s -> h.append("<li>").append(escape(s)).append("</li>\n"));
            h.append("</ul>\n");
        }
        return h.append("</body>\n</html>\n").toString();
    }

    /** {@code text} with the five HTML-special characters escaped. */
    static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }
}

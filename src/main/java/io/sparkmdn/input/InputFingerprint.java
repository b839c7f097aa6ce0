package io.sparkmdn.input;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What identifies the data a model was trained on, so that a resumed run can tell whether it changed.
 *
 * @param paths  the input's files or directories, fully qualified (a glob resolved); empty for a DataFrame
 * @param bytes  their total size in bytes; 0 for a DataFrame
 * @param rows   rows read, valid or not
 * @param schema the table's schema as Spark's DDL ({@code x DOUBLE, y DOUBLE})
 */
public record InputFingerprint(List<String> paths, long bytes, long rows, String schema) {

    public InputFingerprint {
        paths = paths == null ? List.of() : List.copyOf(paths);
    }

    /** What differs from {@code before}, one phrase per field ("rows 3000 → 3100"); empty when nothing does. */
    public List<String> changesSince(InputFingerprint before) {
        List<String> changes = new ArrayList<>();
        if (!paths.equals(before.paths)) {
            changes.add("paths " + before.paths + " → " + paths);
        }
        if (bytes != before.bytes) {
            changes.add("size " + before.bytes + " → " + bytes + " bytes");
        }
        if (rows != before.rows) {
            changes.add("rows " + before.rows + " → " + rows);
        }
        if (!Objects.equals(schema, before.schema)) {
            changes.add("schema [" + before.schema + "] → [" + schema + "]");
        }
        return changes;
    }
}

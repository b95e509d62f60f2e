package dev.herald.app.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain-text table for people: a header row, columns padded to their widest cell, numbers right-aligned. */
final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        this.header = List.of(header);
    }

    Table row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + header.size()
                    + " columns");
        }
        rows.add(Arrays.stream(cells).map(c -> c == null ? "-" : c.toString()).toList());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out) {
        int[] widths = new int[header.size()];
        boolean[] numeric = new boolean[header.size()];
        Arrays.fill(numeric, !rows.isEmpty());
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
                numeric[i] &= row.get(i).matches("-?[0-9][0-9,.]*%?|-");
            }
        }
        line(out, header, widths, numeric);
        rows.forEach(row -> line(out, row, widths, numeric));
        out.flush();
    }

    private static void line(PrintWriter out, List<String> cells, int[] widths, boolean[] numeric) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            String pad = " ".repeat(widths[i] - cell.length());
            if (i > 0) {
                b.append("  ");
            }
            b.append(numeric[i] ? pad + cell : i == cells.size() - 1 ? cell : cell + pad);
        }
        out.println(b);
    }
}

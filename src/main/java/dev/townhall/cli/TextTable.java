package dev.townhall.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with aligned columns; numbers (cells that parse as one) are right-aligned. */
final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    private TextTable(List<String> header) {
        this.header = header;
    }

    static TextTable of(String... header) {
        return new TextTable(List.of(header));
    }

    static TextTable of(List<String> header) {
        return new TextTable(List.copyOf(header));
    }

    TextTable row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(cell == null ? "" : cell.toString());
        }
        rows.add(row);
        return this;
    }

    TextTable row(List<String> cells) {
        rows.add(cells.stream().map(c -> c == null ? "NULL" : c).toList());
        return this;
    }

    void print(PrintWriter out) {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], i < row.size() ? row.get(i).length() : 0);
            }
        }
        printRow(out, header, widths);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        out.println(rule);
        for (List<String> row : rows) {
            printRow(out, row, widths);
        }
        out.flush();
    }

    private static void printRow(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            String cell = i < cells.size() ? cells.get(i) : "";
            line.append(i == 0 ? "" : " | ");
            line.append(isNumber(cell) ? " ".repeat(widths[i] - cell.length()) + cell
                    : cell + " ".repeat(widths[i] - cell.length()));
        }
        out.println(line.toString().stripTrailing());
    }

    private static boolean isNumber(String cell) {
        return cell.matches("-?[0-9][0-9,]*(\\.[0-9]+)?%?");
    }
}

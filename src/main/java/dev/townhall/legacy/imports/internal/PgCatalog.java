package dev.townhall.legacy.imports.internal;

import dev.townhall.db.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What PostgreSQL's catalog says about a table: its columns in order, their types, nullability and defaults. */
public final class PgCatalog {
    private PgCatalog() {
    }

    /** One column. {@code type} is the type's name ({@code int8}, {@code timestamptz}, {@code _text} ...). */
    public record Column(String name, String type, boolean notNull, String defaultExpr, boolean generated) {
        public boolean isArray() {
            return type.startsWith("_");
        }

        public boolean isNumeric() {
            return switch (type) {
                case "int2", "int4", "int8", "numeric", "float4", "float8", "oid" -> true;
                default -> false;
            };
        }

        public boolean isJson() {
            return type.equals("json") || type.equals("jsonb");
        }

        public boolean isBoolean() {
            return type.equals("bool");
        }
    }

    /** A table: {@code name} as it was asked for. */
    public record Table(String name, List<Column> columns) {
        public Optional<Column> column(String columnName) {
            return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
        }

        public List<String> columnNames() {
            return columns.stream().map(Column::name).toList();
        }
    }

    /**
     * The table {@code name} resolves to on {@code c} ("schema.table", or a bare name along the search path), or
     * empty when there is none.
     */
    public static Optional<Table> table(Connection c, String name) throws SQLException {
        String regclass = name.contains(".") ? Identifiers.quoteQualified(name) : Identifiers.quote(name);
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.attname, t.typname, a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attgenerated <> ''
                FROM pg_attribute a
                JOIN pg_type t ON t.oid = a.atttypid
                LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum""")) {
            ps.setString(1, regclass);
            List<Column> columns = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new Column(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                            rs.getBoolean(5)));
                }
            }
            return columns.isEmpty() ? Optional.empty() : Optional.of(new Table(name, List.copyOf(columns)));
        }
    }


}

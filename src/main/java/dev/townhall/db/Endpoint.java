package dev.townhall.db;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where and as whom to connect: host, port, database, role and password. {@link #toString()} and
 * {@link #describe()} never show the password.
 */
public record Endpoint(String host, int port, String database, String user, String password) {
    private static final int LOGIN_TIMEOUT_S = 10;

    /**
     * Parses {@code postgresql://user:pass@host:port/db} or {@code jdbc:postgresql://host:port/db?user=…&password=…}.
     * Without a password in the URL, {@code PGPASSWORD} supplies it. The message of a parse failure never repeats
     * the URL, which may hold a password.
     */
    public static Endpoint parse(String url) {
        if (url == null || url.isBlank()) {
            throw new TownHallException(ErrorCode.CONFIG, "database URL is empty");
        }
        String text = url.strip();
        if (text.startsWith("jdbc:")) {
            text = text.substring("jdbc:".length());
        }
        if (text.startsWith("postgres://")) {
            text = "postgresql://" + text.substring("postgres://".length());
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (Exception e) {
            throw new TownHallException(ErrorCode.CONFIG,
                    "database URL is not a valid postgresql://user:password@host:port/database URL");
        }
        if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new TownHallException(ErrorCode.CONFIG,
                    "database URL must look like postgresql://user:password@host:port/database");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2 && kv[0].equals("user")) {
                    user = decode(kv[1]);
                } else if (kv.length == 2 && kv[0].equals("password")) {
                    password = decode(kv[1]);
                }
            }
        }
        if (password == null) {
            // keeps the password off the command line, where other users' ps would show it
            password = System.getenv("PGPASSWORD");
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        return new Endpoint(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
                path.isEmpty() ? "postgres" : decode(path), user == null ? System.getProperty("user.name") : user,
                password);
    }

    private static String decode(String s) {
        // percent-decoding only: in a URL's user info a '+' is a plus, not the space of form encoding
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    public Endpoint withDatabase(String otherDatabase) {
        return new Endpoint(host, port, otherDatabase, user, password);
    }

    public Endpoint as(String otherUser, String otherPassword) {
        return new Endpoint(host, port, database, otherUser, otherPassword);
    }

    /** A JDBC URL without credentials; pass user and password as properties. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** "user@host:port/database", for messages. */
    public String describe() {
        return user + "@" + host + ":" + port + "/" + database;
    }

    /**
     * Opens a plain JDBC connection, turning "cannot reach" and "wrong password" into one-line
     * {@link TownHallException}s that name the endpoint but not the password.
     */
    public Connection connect() {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("loginTimeout", Integer.toString(LOGIN_TIMEOUT_S));
        props.setProperty("ApplicationName", "townhall");
        try {
            return DriverManager.getConnection(jdbcUrl(), props);
        } catch (SQLException e) {
            throw connectFailure(e);
        }
    }

    /** Maps a failed login to the error a user can act on. */
    public TownHallException connectFailure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals("28P01") || state.equals("28000")) {
            return new TownHallException(ErrorCode.DB_AUTH, "PostgreSQL at " + describe()
                    + " refused the login (wrong user or password; the password is not shown)", e);
        }
        if (state.equals("3D000")) {
            return new TownHallException(ErrorCode.DB_UNREACHABLE,
                    "database \"" + database + "\" does not exist at " + host + ":" + port, e);
        }
        if (state.startsWith("08")) {
            return new TownHallException(ErrorCode.DB_UNREACHABLE, "cannot reach PostgreSQL at " + host + ":" + port
                    + " (" + firstLine(e.getMessage()) + "); is it running and is the URL right?", e);
        }
        return new TownHallException(ErrorCode.DB_UNREACHABLE, "cannot connect to " + describe() + ": "
                + firstLine(e.getMessage()), e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    @Override
    public String toString() {
        return "Endpoint[" + describe() + "]";
    }
}

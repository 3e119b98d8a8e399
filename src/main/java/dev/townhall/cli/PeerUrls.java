package dev.townhall.cli;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Endpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * Where a peer's URL (with its owner's password) lives: {@code $TOWNHALL_PEER_<NAME>_URL} when set, else the file
 * {@code <home>/peers/<name>.url}, written by {@code sync add-peer} readable by this account only (0600 in a 0700
 * directory). The database keeps only host:port/database; nothing prints the URL.
 */
final class PeerUrls {
    private final Path dir;
    private final Map<String, String> env;

    PeerUrls(Path home, Map<String, String> env) {
        this.dir = home.resolve("peers");
        this.env = env;
    }

    static String variable(String peer) {
        return "TOWNHALL_PEER_" + peer.toUpperCase().replaceAll("[^A-Z0-9]", "_") + "_URL";
    }

    void store(String peer, String url) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Path file = dir.resolve(peer + ".url");
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, url.strip() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the URL of peer " + peer + " in " + dir, e);
        }
    }

    void forget(String peer) {
        try {
            Files.deleteIfExists(dir.resolve(peer + ".url"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the URL of peer " + peer + " from " + dir, e);
        }
    }

    Endpoint endpoint(String peer) {
        return find(peer).orElseThrow(() -> new TownHallException(ErrorCode.CONFIG, "no URL for peer " + peer + ": set "
                + variable(peer) + " or add the peer again with ./townhall sync add-peer"));
    }

    /** The peer's URL, if this machine has one: a peer that registered itself here syncs by its own agent. */
    Optional<Endpoint> find(String peer) {
        String fromEnv = env.get(variable(peer));
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(Endpoint.parse(fromEnv));
        }
        Path file = dir.resolve(peer + ".url");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Endpoint.parse(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the URL of peer " + peer, e);
        }
    }
}

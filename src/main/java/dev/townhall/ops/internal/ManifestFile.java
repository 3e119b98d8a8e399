package dev.townhall.ops.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.ops.Manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The manifest beside a dump ({@code FILE.manifest.json}), and the dump's sha256. */
public final class ManifestFile {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ManifestFile() {
    }

    public static Path beside(Path dump) {
        return dump.resolveSibling(dump.getFileName() + ".manifest.json");
    }

    public static void write(Path dump, Manifest manifest) {
        try {
            JSON.writeValue(beside(dump).toFile(), manifest);
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.DATA_DIR, "cannot write " + beside(dump) + ": " + e.getMessage(), e);
        }
    }

    public static String json(Manifest manifest) {
        try {
            return JSON.writeValueAsString(manifest);
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot write a manifest as JSON", e);
        }
    }

    /** The manifest of {@code dump}; a missing or unreadable one is the caller's input error. */
    public static Manifest read(Path dump) {
        Path file = beside(dump);
        try {
            Manifest m = JSON.readValue(file.toFile(), Manifest.class);
            if (m.format() != Manifest.FORMAT || m.dump() == null || m.tables() == null) {
                throw TownHallException.forField(ErrorCode.INVALID_INPUT, "file", file + " is not a TownHall backup"
                        + " manifest of format " + Manifest.FORMAT + "; nothing restored");
            }
            return m;
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "file", "no manifest beside " + dump + " (expected "
                    + file + "); nothing restored");
        } catch (IOException e) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "file", file + " is not a readable manifest ("
                    + e.getClass().getSimpleName() + "); nothing restored");
        }
    }

    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchFileException e) {
            throw TownHallException.forField(ErrorCode.NOT_FOUND, "file", "no backup file " + file);
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.DATA_DIR, "cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

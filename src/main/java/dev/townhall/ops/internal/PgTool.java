package dev.townhall.ops.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Endpoint;
import dev.townhall.db.PgBinaries;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs pg_dump and pg_restore against one database. The password goes in {@code PGPASSWORD}, never on the command
 * line (where {@code ps} shows it) and never in a message.
 */
public final class PgTool {
    private final PgBinaries binaries;

    private PgTool(PgBinaries binaries) {
        this.binaries = binaries;
    }

    public static PgTool locate() {
        return new PgTool(PgBinaries.locate());
    }

    /** What a finished program printed (stdout and stderr together). */
    public record Output(String text) {
        public List<String> lines() {
            return text.isBlank() ? List.of() : List.of(text.strip().split("\n"));
        }
    }

    /** pg_dump -Fc of {@code at} into {@code file} in the exported {@code snapshot}. */
    public void dump(Endpoint at, String snapshot, Path file) {
        run("pg_dump", at, List.of("--format=custom", "--snapshot=" + snapshot, "--file=" + file), ErrorCode.DATA_DIR);
    }

    /** pg_restore {@code --list}: the archive's table of contents; fails on a truncated or corrupted archive. */
    public Output list(Path file) {
        List<String> command = List.of(binaries.program("pg_restore").toString(), "--list", file.toString());
        return exec(command, null, ErrorCode.INVALID_INPUT);
    }

    /** pg_restore into {@code at}, in one transaction, only the entries of {@code tocList}. */
    public void restore(Endpoint at, Path file, Path tocList) {
        List<String> args = List.of("--single-transaction", "--exit-on-error", "--no-owner", "--use-list=" + tocList,
                file.toString());
        // the target refused something (a missing role, extension or privilege): the one transaction rolled back
        run("pg_restore", at, args, ErrorCode.CONFLICT);
    }

    private Output run(String program, Endpoint at, List<String> args, ErrorCode onFailure) {
        List<String> command = new ArrayList<>(List.of(binaries.program(program).toString(), "--host=" + at.host(),
                "--port=" + at.port(), "--username=" + at.user(), "--dbname=" + at.database(), "--no-password"));
        command.addAll(args);
        return exec(command, at.password(), onFailure);
    }

    private static Output exec(List<String> command, String password, ErrorCode onFailure) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("PGPASSWORD");
        if (password != null) {
            builder.environment().put("PGPASSWORD", password);
        }
        String name = Path.of(command.get(0)).getFileName().toString();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.BINARIES_MISSING, "cannot run " + name + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> transfer(process.getInputStream(), captured), name + "-output");
        drain.setDaemon(true);
        drain.start();
        try {
            process.getOutputStream().close();
            process.waitFor();
            drain.join();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TownHallException(ErrorCode.INTERNAL, "interrupted while running " + name, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Output output = new Output(captured.toString(StandardCharsets.UTF_8));
        if (process.exitValue() != 0) {
            // the first "error:" line says why; what follows it ("Command was: …") only says where
            List<String> lines = output.lines();
            String reason = lines.stream().filter(l -> l.contains("error:")).findFirst()
                    .orElse(lines.isEmpty() ? "exit " + process.exitValue() : lines.get(lines.size() - 1));
            throw new TownHallException(onFailure, name + " failed: " + reason.strip());
        }
        return output;
    }

    private static void transfer(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the child is gone; what was read so far is all there is
        }
    }
}

package dev.townhall.db.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The OS account that runs the PostgreSQL server. PostgreSQL refuses to run as root, so when TownHall is invoked
 * as root the server runs as an unprivileged account ({@code postgres} if the OS package made one, otherwise a
 * {@code townhall} system account created on first use); otherwise it runs as the invoking user.
 */
public final class ServiceAccount {
    private static final String PACKAGED_ACCOUNT = "postgres";
    private static final String OWN_ACCOUNT = "townhall";
    private static final Duration ACCOUNT_TIMEOUT = Duration.ofSeconds(30);

    private final String name; // null: the invoking user

    private ServiceAccount(String name) {
        this.name = name;
    }

    public static ServiceAccount forCurrentProcess() {
        if (!runningAsRoot()) {
            return new ServiceAccount(null);
        }
        if (accountExists(PACKAGED_ACCOUNT)) {
            return new ServiceAccount(PACKAGED_ACCOUNT);
        }
        if (!accountExists(OWN_ACCOUNT)) {
            Processes.Result made = Processes.run(List.of("useradd", "--system", "--no-create-home",
                    "--shell", "/usr/sbin/nologin", OWN_ACCOUNT), ACCOUNT_TIMEOUT);
            if (!made.ok()) {
                throw new TownHallException(ErrorCode.CONFIG,
                        "running as root and could not create the unprivileged account '" + OWN_ACCOUNT
                                + "' for PostgreSQL: " + made.lastLine());
            }
        }
        return new ServiceAccount(OWN_ACCOUNT);
    }

    public static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static boolean accountExists(String account) {
        return Processes.run(List.of("id", "-u", account), ACCOUNT_TIMEOUT).ok();
    }

    /** True when the server runs as another account than the one running this JVM. */
    public boolean isSeparate() {
        return name != null;
    }

    public String displayName() {
        return name == null ? System.getProperty("user.name") : name;
    }

    /** The command line that runs {@code command} as this account. */
    public List<String> command(List<String> command) {
        if (name == null) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", name, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Gives {@code path} (not recursively) to this account so the server can write there. */
    public void own(Path path) {
        if (name == null) {
            return;
        }
        try {
            UserPrincipal owner = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
            Files.setOwner(path, owner);
        } catch (IOException e) {
            throw new TownHallException(ErrorCode.DATA_DIR,
                    "cannot hand " + path + " to the account '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * True when this account can pass through to {@code path}: its nearest existing ancestor is searchable for
     * it (what does not exist yet, TownHall creates with modes the account can pass).
     */
    public boolean canReach(Path path) {
        Path existing = path.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || name == null) {
            return true;
        }
        return Processes.run(command(List.of("test", "-x", existing.toString())), ACCOUNT_TIMEOUT).ok();
    }

    /** True when this account can create files in {@code dir} (checked as that account, not as root). */
    public boolean canWrite(Path dir) {
        if (name == null) {
            return Files.isWritable(dir);
        }
        return Processes.run(command(List.of("test", "-w", dir.toString(), "-a", "-x", dir.toString())),
                ACCOUNT_TIMEOUT).ok();
    }
}

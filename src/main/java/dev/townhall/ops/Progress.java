package dev.townhall.ops;

/** Where a long backup, restore or verify is: {@code done} of {@code total} (total -1 when unknown) in a phase. */
@FunctionalInterface
public interface Progress {
    Progress NONE = (phase, done, total) -> { };

    void at(String phase, long done, long total);
}

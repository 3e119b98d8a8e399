package dev.townhall.ops;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Endpoint;
import dev.townhall.ops.internal.Probes;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./townhall doctor}: one figure per {@link DoctorCheck}, each OK, WARN or FAIL against its thresholds. It
 * reads as the owner: statistics views show other roles' sessions and statements only to a privileged role, and
 * the sync, quarantine and backup tables are the owner's.
 */
public final class Doctor {
    public enum Status { OK, WARN, FAIL }

    /**
     * One check's line. {@code value} is the figure in {@code unit} (null when it could not be measured);
     * {@code warn}/{@code fail} the thresholds it was held to (null: none).
     */
    public record Check(String name, Double value, String unit, Status status, Double warn, Double fail,
                        String detail) {
        /** {@code 12.5 MB}, or {@code -} when nothing was measured. */
        @JsonProperty
        public String figure() {
            return value == null ? "-" : number(value) + " " + unit;
        }

        /** {@code warn > 26 h, fail > 168 h}. */
        @JsonProperty
        public String thresholds() {
            List<String> parts = new ArrayList<>();
            if (warn != null) {
                parts.add("warn > " + number(warn) + " " + unit);
            }
            if (fail != null) {
                parts.add("fail > " + number(fail) + " " + unit);
            }
            return parts.isEmpty() ? "none" : String.join(", ", parts);
        }

        private static String number(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                    : String.format(Locale.ROOT, "%.1f", v);
        }
    }

    public record Report(List<Check> checks) {
        public Report {
            checks = List.copyOf(checks);
        }

        public boolean failed() {
            return checks.stream().anyMatch(c -> c.status() == Status.FAIL);
        }

        public long count(Status status) {
            return checks.stream().filter(c -> c.status() == status).count();
        }
    }

    private final Endpoint owner;
    private final DoctorSettings settings;

    private Doctor(Endpoint owner, DoctorSettings settings) {
        this.owner = owner;
        this.settings = settings;
    }

    /** A doctor reading the database through {@code owner} (the owner role's endpoint). */
    public static Doctor as(Endpoint owner, DoctorSettings settings) {
        return new Doctor(owner, settings);
    }

    /** Measures every check, in {@link DoctorCheck} order, on one connection. */
    public Report run() {
        try (Connection c = owner.connect()) {
            Probes probes = new Probes(c, settings.unusedIndexMinBytes());
            List<Check> checks = new ArrayList<>();
            for (DoctorCheck check : DoctorCheck.values()) {
                checks.add(judge(check, probes.measure(check)));
            }
            return new Report(checks);
        } catch (SQLException e) { // only closing can throw here: the probes handle their own statements
            throw new TownHallException(ErrorCode.DB_UNREACHABLE, "lost the connection to " + owner.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private Check judge(DoctorCheck check, Probes.Reading reading) {
        Double warn = settings.warn(check);
        Double fail = settings.fail(check);
        Status status = reading.verdict().orElseGet(() -> fail != null && reading.value() > fail ? Status.FAIL
                : warn != null && reading.value() > warn ? Status.WARN : Status.OK);
        return new Check(check.key(), reading.value(), check.unit(), status, warn, fail, reading.detail());
    }
}

package dev.townhall.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The doctor's figures as gauges: {@code townhall.doctor.value{check}} (the figure in the check's unit) and
 * {@code townhall.doctor.status{check}} (0 OK, 1 WARN, 2 FAIL). A scrape reads the last report; the doctor runs
 * again only when that report is older than {@code every}, so scraping often costs no more than one run per period.
 * A run that fails (the database down) logs once per outage and shows NaN until a later run succeeds.
 */
public final class DoctorGauges implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DoctorGauges.class);

    private final Doctor doctor;
    private final long everyNanos;
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private Doctor.Report last;
    private long measuredAt;
    private boolean measured;
    private boolean failing;

    private DoctorGauges(Doctor doctor, Duration every, MeterRegistry registry) {
        this.doctor = doctor;
        this.everyNanos = every.toNanos();
        this.registry = registry;
    }

    /** A value and a status gauge per {@link DoctorCheck}, registered on {@code registry} until {@link #close()}. */
    public static DoctorGauges register(Doctor doctor, Duration every, MeterRegistry registry) {
        DoctorGauges gauges = new DoctorGauges(doctor, every, registry);
        for (DoctorCheck check : DoctorCheck.values()) {
            gauges.gauge("townhall.doctor.value", check, "the doctor's figure of the check, in " + check.unit(),
                    c -> c.value() == null ? Double.NaN : c.value());
            gauges.gauge("townhall.doctor.status", check, "the doctor's verdict of the check: 0 OK, 1 WARN, 2 FAIL",
                    c -> c.status().ordinal());
        }
        return gauges;
    }

    private void gauge(String name, DoctorCheck check, String description, ToDoubleFunction<Doctor.Check> figure) {
        int index = check.ordinal();
        meters.add(Gauge.builder(name, this, g -> g.read(index, figure)).tags("check", check.key())
                .description(description).strongReference(true).register(registry));
    }

    private synchronized double read(int index, ToDoubleFunction<Doctor.Check> figure) {
        long now = System.nanoTime();
        if (!measured || now - measuredAt >= everyNanos) {
            measured = true;
            measuredAt = now;
            try {
                last = doctor.run();
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) {
                    LOG.warn("doctor figures for /metrics unavailable: {}", e.getMessage());
                }
                failing = true;
                last = null;
            }
        }
        return last == null ? Double.NaN : figure.applyAsDouble(last.checks().get(index));
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}

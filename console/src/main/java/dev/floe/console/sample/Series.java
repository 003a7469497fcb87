package dev.floe.console.sample;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Time series aligned on one time axis, as the charts take them.
 *
 * @param t sample times, epoch milliseconds, oldest first
 * @param values one column per series name, aligned with {@code t}; {@code null} = no value then
 */
@Schema(
    description =
        "Aligned time series. Names: ingest.<replica>.accepted|rejected|failed (events/s),"
            + " job.recordsIn|recordsOut (records/s), lag.<partition> and lag.total (records),"
            + " freshness.p50|p99 (ms), checkpoint.durationMs|sizeBytes|ageMs; for the table:"
            + " rows, dataFiles, snapshots")
public record Series(List<Long> t, Map<String, List<Double>> values) {}

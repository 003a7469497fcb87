package dev.floe.job.ingest;

import dev.floe.contract.JobMetrics;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a source so that it tells Flink when it is draining a backlog, which switches the
 * checkpoint (and so the commit) interval to {@code
 * execution.checkpointing.interval-during-backlog} while it lasts: few large commits while catching
 * up, second-level commits once caught up. The Kafka source does not report backlog by itself.
 *
 * <pre>
 *  reader (each subtask)                           enumerator (JobManager)
 *  record older than the threshold -> backlog ──►  any reader in backlog ->
 *  younger than half of it, or records left to     SplitEnumeratorContext.setIsProcessingBacklog
 *  read fewer than it reads in one regular
 *  interval, or nothing to read for 300 ms
 *  -> caught up              (a SourceEvent, sent only on change)
 * </pre>
 *
 * The records left to read are the wrapped reader's {@code pendingRecords} (the Kafka source's
 * consumer lag), when it reports them. Reporting the end of a backlog by them, about one regular
 * interval before its last record, lets Flink schedule the checkpoint that commits that record for
 * about when it is read, instead of a regular interval after 300 ms of silence.
 *
 * <p>A record's age is now minus its Kafka timestamp (the producer's create time). The enumerator
 * tells every reader the job's state back, and each reader exposes it as the gauges {@code
 * floe.processingBacklog} (1 or 0) and {@code floe.commitIntervalMs} (the checkpoint interval in
 * force), for the status view. Everything else, including splits and enumerator checkpoints, is the
 * wrapped source's, so checkpoints are unchanged by the wrapper.
 */
public final class BacklogAwareSource<T, SplitT extends SourceSplit, EnumChkT>
    implements Source<T, SplitT, EnumChkT>, ResultTypeQueryable<T> {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(BacklogAwareSource.class);

  private final Source<T, SplitT, EnumChkT> delegate;
  private final long thresholdMs;
  private final long intervalMs;
  private final long backlogIntervalMs;

  /**
   * @param threshold age of a record above which its reader is draining a backlog
   * @param interval checkpoint interval while caught up (for the gauge)
   * @param backlogInterval checkpoint interval while draining (for the gauge)
   */
  public BacklogAwareSource(
      Source<T, SplitT, EnumChkT> delegate,
      Duration threshold,
      Duration interval,
      Duration backlogInterval) {
    this.delegate = delegate;
    this.thresholdMs = threshold.toMillis();
    this.intervalMs = interval.toMillis();
    this.backlogIntervalMs = backlogInterval.toMillis();
  }

  @Override
  public Boundedness getBoundedness() {
    return delegate.getBoundedness();
  }

  @Override
  public SourceReader<T, SplitT> createReader(SourceReaderContext context) throws Exception {
    PendingRecords pending = new PendingRecords();
    Reader<T, SplitT> reader =
        new Reader<>(
            delegate.createReader(pending.watch(context)),
            context,
            thresholdMs,
            intervalMs,
            pending);
    var group = context.metricGroup().addGroup(JobMetrics.GROUP);
    group.gauge(
        JobMetrics.PROCESSING_BACKLOG_GAUGE, (Gauge<Integer>) () -> reader.jobBacklog ? 1 : 0);
    group.gauge(
        JobMetrics.COMMIT_INTERVAL_GAUGE,
        (Gauge<Long>) () -> reader.jobBacklog ? backlogIntervalMs : intervalMs);
    return reader;
  }

  @Override
  public SplitEnumerator<SplitT, EnumChkT> createEnumerator(SplitEnumeratorContext<SplitT> context)
      throws Exception {
    return new Enumerator<>(delegate.createEnumerator(context), context);
  }

  @Override
  public SplitEnumerator<SplitT, EnumChkT> restoreEnumerator(
      SplitEnumeratorContext<SplitT> context, EnumChkT checkpoint) throws Exception {
    return new Enumerator<>(delegate.restoreEnumerator(context, checkpoint), context);
  }

  @Override
  public SimpleVersionedSerializer<SplitT> getSplitSerializer() {
    return delegate.getSplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<EnumChkT> getEnumeratorCheckpointSerializer() {
    return delegate.getEnumeratorCheckpointSerializer();
  }

  @Override
  @SuppressWarnings("unchecked")
  public TypeInformation<T> getProducedType() {
    return ((ResultTypeQueryable<T>) delegate).getProducedType();
  }

  /**
   * A backlog state: from a reader to the enumerator when the reader's changes, and from the
   * enumerator to every reader when the job's changes.
   */
  public static final class BacklogEvent implements SourceEvent {
    private static final long serialVersionUID = 1L;
    final boolean backlog;

    BacklogEvent(boolean backlog) {
      this.backlog = backlog;
    }

    @Override
    public String toString() {
      return "BacklogEvent{" + backlog + "}";
    }
  }

  /** Watches the age of the records the wrapped reader emits. */
  // SourceReader.close() throws Exception (Flink's interface); the reader is never a try resource
  @SuppressWarnings("try")
  static final class Reader<T, SplitT extends SourceSplit> implements SourceReader<T, SplitT> {
    private final SourceReader<T, SplitT> delegate;
    private final SourceReaderContext context;
    private final long thresholdMs;
    private final long intervalMs;
    private final PendingRecords pending;
    private ReaderOutput<T> wrappedFor;
    private WatchingOutput<T> watching;

    /** Null until the first decision, so that a restarted reader always reports once. */
    private Boolean reported;

    /** The job's state, as the enumerator last said. */
    volatile boolean jobBacklog;

    /** Since when the reader has had nothing to read while in a backlog; -1 while it reads. */
    private long idleSince = -1;

    /** Whether the records left to read take less than one regular interval to read. */
    private boolean nearEnd;

    /** Records read since {@link #windowStart}, for the reader's rate. */
    private long windowCount;

    private long windowStart = -1;

    Reader(
        SourceReader<T, SplitT> delegate,
        SourceReaderContext context,
        long thresholdMs,
        long intervalMs,
        PendingRecords pending) {
      this.delegate = delegate;
      this.context = context;
      this.thresholdMs = thresholdMs;
      this.intervalMs = intervalMs;
      this.pending = pending;
    }

    @Override
    public void start() {
      delegate.start();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
      if (output != wrappedFor) {
        wrappedFor = output;
        watching = new WatchingOutput<>(output);
      }
      watching.newest[0] = Long.MIN_VALUE;
      InputStatus status = delegate.pollNext(watching);
      if (watching.newest[0] != Long.MIN_VALUE) {
        long now = System.currentTimeMillis();
        long age = now - watching.newest[0];
        windowCount++;
        if (windowStart < 0) {
          windowStart = now;
        } else if (now - windowStart >= RATE_WINDOW_MS) {
          // records left against what this reader read in the last window, scaled to the interval
          long left = pending.get();
          nearEnd = left >= 0 && left * (now - windowStart) <= windowCount * intervalMs;
          windowStart = now;
          windowCount = 0;
        }
        // hysteresis: enter above the threshold, leave below half of it
        if (nearEnd) {
          report(false);
        } else if (age > thresholdMs) {
          report(true);
        } else if (age < thresholdMs / 2) {
          report(false);
        }
        idleSince = -1;
      } else if (status != InputStatus.MORE_AVAILABLE) {
        // nothing to read: caught up, once that has lasted QUIET_MS (a fetch that merely came
        // late in the middle of a backlog is not the end of it)
        long now = System.currentTimeMillis();
        if (idleSince < 0) {
          idleSince = now;
        }
        if (!Boolean.TRUE.equals(reported) || now - idleSince >= QUIET_MS) {
          report(false);
        }
      }
      return status;
    }

    /** How long a reader in a backlog must have had nothing to read to be caught up. */
    static final long QUIET_MS = 300;

    /** How often the records left are compared with the reader's rate. */
    static final long RATE_WINDOW_MS = 100;

    private void report(boolean now) {
      if (reported == null || reported != now) {
        reported = now;
        context.sendSourceEventToCoordinator(new BacklogEvent(now));
      }
    }

    @Override
    public List<SplitT> snapshotState(long checkpointId) {
      return delegate.snapshotState(checkpointId);
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
      CompletableFuture<Void> data = delegate.isAvailable();
      if (!Boolean.TRUE.equals(reported) || idleSince < 0 || data.isDone()) {
        return data;
      }
      // in a backlog with nothing to read: be polled again when the quiet time is up, so that
      // the end of the backlog is reported even if no record ever comes
      long wait = Math.max(1, QUIET_MS - (System.currentTimeMillis() - idleSince));
      CompletableFuture<Void> quiet = new CompletableFuture<>();
      CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS)
          .execute(() -> quiet.complete(null));
      return data.applyToEither(quiet, ignored -> null);
    }

    @Override
    public void addSplits(List<SplitT> splits) {
      delegate.addSplits(splits);
    }

    @Override
    public void notifyNoMoreSplits() {
      delegate.notifyNoMoreSplits();
    }

    @Override
    public void handleSourceEvents(SourceEvent sourceEvent) {
      if (sourceEvent instanceof BacklogEvent event) {
        jobBacklog = event.backlog;
      } else {
        delegate.handleSourceEvents(sourceEvent);
      }
    }

    @Override
    public void pauseOrResumeSplits(
        java.util.Collection<String> splitsToPause, java.util.Collection<String> splitsToResume) {
      delegate.pauseOrResumeSplits(splitsToPause, splitsToResume);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
      delegate.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
      delegate.notifyCheckpointAborted(checkpointId);
    }

    @Override
    public void close() throws Exception {
      delegate.close();
    }
  }

  /**
   * Passes everything on and remembers, in a cell shared by all outputs of a reader, the newest
   * record timestamp.
   */
  static class WatchingSourceOutput<T> implements SourceOutput<T> {
    private final SourceOutput<T> delegate;
    final long[] newest;

    WatchingSourceOutput(SourceOutput<T> delegate, long[] newest) {
      this.delegate = delegate;
      this.newest = newest;
    }

    @Override
    public void collect(T record) {
      delegate.collect(record);
    }

    @Override
    public void collect(T record, long timestamp) {
      if (timestamp > newest[0]) {
        newest[0] = timestamp;
      }
      delegate.collect(record, timestamp);
    }

    @Override
    public void emitWatermark(Watermark watermark) {
      delegate.emitWatermark(watermark);
    }

    @Override
    public void markIdle() {
      delegate.markIdle();
    }

    @Override
    public void markActive() {
      delegate.markActive();
    }
  }

  /** The reader's output, and a watching output per split. */
  static final class WatchingOutput<T> extends WatchingSourceOutput<T> implements ReaderOutput<T> {
    private final ReaderOutput<T> delegate;
    private final Map<String, SourceOutput<T>> splits = new HashMap<>();

    WatchingOutput(ReaderOutput<T> delegate) {
      super(delegate, new long[] {Long.MIN_VALUE});
      this.delegate = delegate;
    }

    @Override
    public SourceOutput<T> createOutputForSplit(String splitId) {
      return splits.computeIfAbsent(
          splitId, id -> new WatchingSourceOutput<>(delegate.createOutputForSplit(id), newest));
    }

    @Override
    public void releaseOutputForSplit(String splitId) {
      splits.remove(splitId);
      delegate.releaseOutputForSplit(splitId);
    }
  }

  /**
   * The wrapped reader's {@code pendingRecords} gauge (FLIP-33's standard source metric), caught as
   * the reader registers it on the metric group of the context it is given.
   */
  static final class PendingRecords {
    private volatile Gauge<Long> gauge;

    /** The context to give the wrapped reader: the same, but its metric group is watched. */
    SourceReaderContext watch(SourceReaderContext context) {
      SourceReaderMetricGroup group = context.metricGroup();
      SourceReaderMetricGroup watched =
          proxy(
              SourceReaderMetricGroup.class,
              group,
              (method, args) -> {
                if (method.getName().equals("setPendingRecordsGauge") && args.length == 1) {
                  @SuppressWarnings("unchecked")
                  Gauge<Long> g = (Gauge<Long>) args[0];
                  gauge = g;
                }
              });
      return proxy(
          SourceReaderContext.class, context, (method, args) -> {}, Map.of("metricGroup", watched));
    }

    /** The records left to read, or -1 while the reader has not said. */
    long get() {
      Gauge<Long> g = gauge;
      Long value = g == null ? null : g.getValue();
      return value == null || value < 0 ? -1 : value;
    }

    private static <I> I proxy(
        Class<I> type, I target, BiConsumer<Method, Object[]> seen, Map<String, Object> answers) {
      return type.cast(
          Proxy.newProxyInstance(
              type.getClassLoader(),
              new Class<?>[] {type},
              (self, method, args) -> {
                Object[] a = args == null ? new Object[0] : args;
                if (a.length == 0 && answers.containsKey(method.getName())) {
                  return answers.get(method.getName());
                }
                seen.accept(method, a);
                try {
                  return method.invoke(target, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              }));
    }

    private static <I> I proxy(Class<I> type, I target, BiConsumer<Method, Object[]> seen) {
      return proxy(type, target, seen, Map.of());
    }
  }

  /** Ors the readers' states into the job's backlog state. */
  static final class Enumerator<SplitT extends SourceSplit, EnumChkT>
      implements SplitEnumerator<SplitT, EnumChkT> {
    private final SplitEnumerator<SplitT, EnumChkT> delegate;
    private final SplitEnumeratorContext<SplitT> context;
    private final Map<Integer, Boolean> readers = new HashMap<>();
    private boolean backlog;

    Enumerator(SplitEnumerator<SplitT, EnumChkT> delegate, SplitEnumeratorContext<SplitT> context) {
      this.delegate = delegate;
      this.context = context;
    }

    @Override
    public void start() {
      delegate.start();
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
      delegate.handleSplitRequest(subtaskId, requesterHostname);
    }

    @Override
    public void addSplitsBack(List<SplitT> splits, int subtaskId) {
      // the reader failed: its next instance reports afresh
      readers.remove(subtaskId);
      update();
      delegate.addSplitsBack(splits, subtaskId);
    }

    @Override
    public void addReader(int subtaskId) {
      delegate.addReader(subtaskId);
      context.sendEventToSourceReader(subtaskId, new BacklogEvent(backlog));
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
      if (sourceEvent instanceof BacklogEvent event) {
        readers.put(subtaskId, event.backlog);
        update();
      } else {
        delegate.handleSourceEvent(subtaskId, sourceEvent);
      }
    }

    private void update() {
      boolean now = readers.containsValue(Boolean.TRUE);
      if (now != backlog) {
        backlog = now;
        LOG.info(
            now
                ? "Source is draining a backlog: checkpoints at the backlog interval"
                : "Source caught up: checkpoints at the regular interval");
        context.setIsProcessingBacklog(now);
        for (int reader : context.registeredReaders().keySet()) {
          context.sendEventToSourceReader(reader, new BacklogEvent(now));
        }
      }
    }

    @Override
    public EnumChkT snapshotState(long checkpointId) throws Exception {
      return delegate.snapshotState(checkpointId);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
      delegate.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void close() throws java.io.IOException {
      delegate.close();
    }
  }
}

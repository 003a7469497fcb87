package dev.floe.lake;

import dev.floe.contract.LakeNames;
import dev.floe.view.KafkaLag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How close the job is to losing events to Kafka's retention: the raw topic's retention, the age of
 * the oldest record the job has not committed yet (per partition, from the job group's committed
 * offset), and the ranges already deleted unread (a committed offset below the partition's log
 * start). {@code ./floe status} warns once the oldest unread record is past {@link #WARN_FRACTION}
 * of the retention.
 *
 * @param retention the topic's {@code retention.ms}, empty when unlimited
 * @param oldestUnreadAge age of the oldest record the job has not committed, empty when caught up
 * @param gaps ranges deleted before the job read them, one line each
 */
public record RetentionView(
    Optional<Duration> retention, Optional<Duration> oldestUnreadAge, List<String> gaps) {

  /** Past this share of the retention, the oldest unread record gets a warning. */
  public static final double WARN_FRACTION = 0.5;

  /** What the job does with a gap: shown by the status, so the behaviour is never a surprise. */
  public static final String ON_GAP =
      "the job dead-letters the deleted range as RETENTION_GAP (./floe dlq) when it starts and"
          + " reads on; a gap that opens while it runs stops its source until it is restarted";

  /**
   * Whether the oldest unread record is past the warning share of the retention.
   *
   * @return true when the job should catch up before Kafka deletes what it has not read
   */
  public boolean nearRetention() {
    return new KafkaLag.Retention(retention, oldestUnreadAge, List.of()).pastShare(WARN_FRACTION);
  }

  /**
   * The lines of the status view, without indentation.
   *
   * @return "label text" lines
   */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    String unread =
        oldestUnreadAge.map(a -> "oldest unread record " + human(a) + " old").orElse("caught up");
    String limit = retention.map(RetentionView::human).orElse("unlimited");
    if (nearRetention()) {
      out.add(
          "retention        WARNING: "
              + unread
              + ", past half of "
              + LakeNames.RAW_TOPIC
              + "'s retention ("
              + limit
              + "): the job must catch up before Kafka deletes what it has not read");
    } else {
      out.add("retention        " + limit + "; " + unread);
    }
    for (String gap : gaps) {
      out.add("RETENTION GAP    " + gap);
    }
    out.add("on a gap         " + ON_GAP);
    return out;
  }

  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 120) {
      return s + " s";
    }
    if (s < 7200) {
      return s / 60 + " min";
    }
    if (s < 2 * 86400) {
      return String.format(Locale.ROOT, "%.1f h", s / 3600.0);
    }
    return String.format(Locale.ROOT, "%.1f d", s / 86400.0);
  }

  /**
   * The view of what the lake view read from Kafka.
   *
   * @param r the raw topic's retention against the job group's progress
   * @return the view
   */
  public static RetentionView of(KafkaLag.Retention r) {
    List<String> gaps = new ArrayList<>();
    for (KafkaLag.Gap g : r.gaps()) {
      gaps.add(
          String.format(
              Locale.ROOT,
              "partition %d: offsets %d-%d deleted by retention before the job read them",
              g.partition(),
              g.from(),
              g.to()));
    }
    gaps.sort(String::compareTo);
    return new RetentionView(r.retention(), r.oldestUnreadAge(), gaps);
  }
}

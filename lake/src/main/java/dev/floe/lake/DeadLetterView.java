package dev.floe.lake;

import dev.floe.contract.LakeNames;
import dev.floe.view.DeadLetterReader;
import java.time.Duration;
import java.util.List;

/**
 * The dead-letter view behind {@code floe dlq}: the last N records of {@code events.dlq} (committed
 * ones only: the job writes them in Kafka transactions), oldest first, read by the lake view's
 * {@link DeadLetterReader} without a consumer group, so looking never moves anyone's offsets.
 */
public final class DeadLetterView {

  /** The dead-letter topic. */
  public static final String DLQ_TOPIC = LakeNames.DLQ_TOPIC;

  private DeadLetterView() {}

  /**
   * Reads the last {@code count} dead letters.
   *
   * @param bootstrap Kafka bootstrap servers
   * @param count how many at most
   * @return oldest first
   */
  public static List<DeadLetterReader.Letter> last(String bootstrap, int count) {
    try (DeadLetterReader reader =
        new DeadLetterReader(bootstrap, DLQ_TOPIC, "floe-dlq", Duration.ofSeconds(10))) {
      return reader.last(count);
    }
  }

  /**
   * One dead letter as the terminal shows it.
   *
   * @param d the dead letter
   * @return three lines
   */
  public static String render(DeadLetterReader.Letter d) {
    return d.deadLetteredAt()
        + "  "
        + d.reason()
        + "  from "
        + d.from()
        + "\n    detail:  "
        + d.detail()
        + "\n    payload: "
        + d.payload();
  }
}

package dev.floe.lake.bench;

/**
 * The soak run's settings, each from a {@code -Dsoak.*} system property with a default.
 *
 * @param rate {@code soak.rate}: events per second, default 5000
 * @param minutes {@code soak.minutes}: length of the sending, default 30
 * @param batchSize {@code soak.batch}: events per POST, default 100
 * @param producers {@code soak.producers}: producer replicas, default 1
 * @param threads {@code soak.threads}: sending threads, by default enough for 250 ms per POST at
 *     the scheduled batch rate (4 to 64)
 * @param drainSeconds {@code soak.drain.seconds}: how long the exactness check waits for the job,
 *     default 600
 */
record SoakSettings(
    int rate, int minutes, int batchSize, int producers, int threads, int drainSeconds) {

  /**
   * Reads the settings.
   *
   * @return the settings
   * @throws IllegalArgumentException naming the key of a value that is not positive
   */
  static SoakSettings fromSystemProperties() {
    int rate = positive("soak.rate", 5000);
    int minutes = positive("soak.minutes", 30);
    int batchSize = positive("soak.batch", 100);
    int producers = positive("soak.producers", 1);
    int threads =
        positive(
            "soak.threads",
            (int) Math.max(4, Math.min(64, Math.ceil(rate / (double) batchSize * 0.25))));
    int drainSeconds = positive("soak.drain.seconds", 600);
    return new SoakSettings(rate, minutes, batchSize, producers, threads, drainSeconds);
  }

  private static int positive(String key, int defaultValue) {
    int value = Integer.getInteger(key, defaultValue);
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, got " + value);
    }
    return value;
  }
}

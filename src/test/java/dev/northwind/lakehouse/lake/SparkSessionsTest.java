package dev.northwind.lakehouse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Shuffle sizing of the batch jobs' non-adaptive sessions. */
class SparkSessionsTest {

  private static final long MB = 1024 * 1024;

  @Test
  void shufflesGetOnePartitionPerTwoMegabytesOfInputBetweenOneAndTwoPerCore() {
    // The bench's Silver inputs: scale 1 (~0.1 MB), 100 (~3 MB), 1000 (~33 MB), on 2 cores.
    assertThat(SparkSessions.shufflePartitions(4, 2, 130 * 1024)).isEqualTo(1);
    assertThat(SparkSessions.shufflePartitions(4, 2, 0)).isEqualTo(1);
    assertThat(SparkSessions.shufflePartitions(4, 2, 3 * MB + 1)).isEqualTo(2);
    assertThat(SparkSessions.shufflePartitions(4, 2, 33 * MB)).isEqualTo(4);
    // A cluster: 16 cores, 64 configured; never above the configured value.
    assertThat(SparkSessions.shufflePartitions(64, 16, 33 * MB)).isEqualTo(17);
    assertThat(SparkSessions.shufflePartitions(64, 16, 10_000 * MB)).isEqualTo(32);
    assertThat(SparkSessions.shufflePartitions(8, 16, 10_000 * MB)).isEqualTo(8);
  }
}

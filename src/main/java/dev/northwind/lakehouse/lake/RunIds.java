package dev.northwind.lakehouse.lake;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Run ids, stored with every row a run writes: the job, the UTC time and a random suffix, e.g.
 * {@code gold-20261125223500-3f9a0c}. They sort by time within a job.
 */
public final class RunIds {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  private RunIds() {}

  /** A new id for a run of {@code job} starting now. */
  public static String next(String job) {
    return next(job, Instant.now());
  }

  /** A new id for a run of {@code job} that started at {@code at}. */
  public static String next(String job, Instant at) {
    byte[] random = new byte[3];
    ThreadLocalRandom.current().nextBytes(random);
    return job + "-" + TIME.format(at) + "-" + HexFormat.of().formatHex(random);
  }
}

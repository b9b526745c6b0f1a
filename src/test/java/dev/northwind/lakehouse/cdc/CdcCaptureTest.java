package dev.northwind.lakehouse.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class CdcCaptureTest {

  /** The error Debezium 3.2's engine ended with when closed mid-batch, as CI saw it. */
  @Test
  void aConversionRejectedByTheClosingEngineIsACleanStop() {
    Throwable race =
        new IllegalStateException(
            "polling task failed",
            new java.util.concurrent.ExecutionException(
                new RejectedExecutionException(
                    "Task TransformAndConvertRecord rejected from ThreadPoolExecutor[Shutting"
                        + " down]")));
    assertThat(CdcCapture.rejectedOnClose(race)).isTrue();
  }

  @Test
  void otherEngineErrorsStayFailures() {
    assertThat(
            CdcCapture.rejectedOnClose(
                new IllegalStateException("replication slot is active", new java.io.IOException())))
        .isFalse();
    assertThat(CdcCapture.rejectedOnClose(null)).isFalse();
  }
}

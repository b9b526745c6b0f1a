package dev.northwind.lakehouse.bronze;

import static dev.northwind.lakehouse.bronze.Reconciliation.NO_TABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.northwind.lakehouse.bronze.Reconciliation.Action;
import java.math.BigDecimal;
import org.apache.spark.sql.delta.DeltaAnalysisException;
import org.junit.jupiter.api.Test;
import scala.Option;

/**
 * The decisions taken after a commit or a failure (a real mismatch cannot be provoked honestly).
 */
class ReconciliationTest {

  @Test
  void aCommitThatReconcilesIsKept() {
    assertThat(Reconciliation.afterCommit(830, 830, 3, 4)).isEqualTo(Action.KEEP);
    assertThat(Reconciliation.afterCommit(0, 0, NO_TABLE, 0)).isEqualTo(Action.KEEP);
  }

  @Test
  void aMismatchUndoesTheCommit() {
    assertThat(Reconciliation.afterCommit(830, 829, 3, 4)).isEqualTo(Action.RESTORE_PREVIOUS);
    assertThat(Reconciliation.afterCommit(830, 831, 3, 4)).isEqualTo(Action.RESTORE_PREVIOUS);
    assertThat(Reconciliation.afterCommit(830, 0, NO_TABLE, 0)).isEqualTo(Action.DELETE_TABLE);
    assertThat(Reconciliation.afterCommit(5, 0, 3, 3))
        .as("no commit, rows expected")
        .isEqualTo(Action.NOTHING_TO_UNDO);
  }

  @Test
  void aFailureUndoesOnlyWhatThisRunCommitted() {
    assertThat(Reconciliation.afterFailure(3, 3)).isEqualTo(Action.NOTHING_TO_UNDO);
    assertThat(Reconciliation.afterFailure(NO_TABLE, NO_TABLE)).isEqualTo(Action.NOTHING_TO_UNDO);
    assertThat(Reconciliation.afterFailure(3, 4)).isEqualTo(Action.RESTORE_PREVIOUS);
    assertThat(Reconciliation.afterFailure(NO_TABLE, 0)).isEqualTo(Action.DELETE_TABLE);
  }

  @Test
  void watermarksBecomePlainNumericLiterals() {
    assertThat(BronzeJob.literal(BronzeJob.watermark((short) 11077))).isEqualTo("11077");
    assertThat(BronzeJob.literal(BronzeJob.watermark(42L))).isEqualTo("42");
    assertThat(BronzeJob.literal(BronzeJob.watermark(new BigDecimal("1E+3")))).isEqualTo("1000");
    assertThat(BronzeJob.literal(BronzeJob.watermark(new BigDecimal("-12.50"))))
        .isEqualTo("-12.50");
    assertThat(BronzeJob.watermark(null)).isNull();
    assertThatThrownBy(() -> BronzeJob.watermark("1; DROP TABLE orders"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BronzeJob.watermark(1.5d))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void errorLinesAreOneLineWithoutThePassword() {
    Exception e =
        new RuntimeException(
            "Job aborted: org.postgresql.util.PSQLException: ERROR: password pw1 wrong\n at x");
    assertThat(BronzeJob.errorLine(e, "pw1")).isEqualTo("ERROR: password *** wrong");
    Exception sql =
        new RuntimeException(
            "wrapper",
            new java.sql.SQLException("ERROR: relation \"x\" does not exist\n  Position: 15 pw1"));
    assertThat(BronzeJob.errorLine(sql, "pw1")).isEqualTo("ERROR: relation \"x\" does not exist");
  }

  @Test
  void aColumnTypeChangeIsToldByDeltasErrorConditionNotByText() {
    Exception delta =
        new DeltaAnalysisException(
            "DELTA_FAILED_TO_MERGE_FIELDS",
            new String[] {"quantity", "quantity"},
            Option.empty(),
            Option.empty(),
            Option.empty(),
            Option.empty());
    assertThat(BronzeJob.errorLine(delta, null))
        .startsWith("a column changed type in the source")
        .contains("Failed to merge fields 'quantity' and 'quantity'")
        .endsWith("see Schema drift in docs/tables.md");
    assertThat(BronzeJob.errorLine(new RuntimeException("write failed", delta), null))
        .startsWith("a column changed type in the source");
    assertThat(
            BronzeJob.errorLine(
                new RuntimeException("DELTA_FAILED_TO_MERGE_FIELDS, said a message"), null))
        .isEqualTo("DELTA_FAILED_TO_MERGE_FIELDS, said a message");
  }
}

package dev.northwind.lakehouse.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Column lists give exactly the StructType Spark's own DDL parser gives. */
class SchemasTest {

  @Test
  void aColumnListIsReadAsSparkReadsIt() {
    String ddl =
        "run_id STRING NOT NULL, rows_read BIGINT, `partition` int, offset BIGINT not null, "
            + "freight DECIMAL(12,4), discount decimal( 5 , 4 ) NOT NULL, day DATE, at TIMESTAMP, share DOUBLE, "
            + "ok BOOLEAN, raw BINARY";
    assertThat(Schemas.of(ddl)).isEqualTo(StructType.fromDDL(ddl));
    assertThat(Schemas.of(ddl).apply("discount").nullable()).isFalse();
    assertThat(Schemas.of(ddl).apply("freight").nullable()).isTrue();
  }

  @Test
  void partsConcatenateInOrder() {
    assertThat(Schemas.concat(Schemas.of("a INT"), Schemas.of("b STRING, c DATE")))
        .isEqualTo(StructType.fromDDL("a INT, b STRING, c DATE"));
  }

  @Test
  void whatItDoesNotKnowFailsLoudly() {
    assertThatThrownBy(() -> Schemas.of("a VARCHAR(10)"))
        .hasMessageContaining("unsupported column type VARCHAR(10)");
    assertThatThrownBy(() -> Schemas.of("a INT,, b INT"))
        .hasMessageContaining("not a column definition");
    assertThatThrownBy(() -> Schemas.of("a INT NULLABLE"))
        .hasMessageContaining("not a column definition");
  }
}

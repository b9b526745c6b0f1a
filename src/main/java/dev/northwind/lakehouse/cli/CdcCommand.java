package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.cdc.CaptureIntoBronze;
import dev.northwind.lakehouse.cdc.CdcBronzeJob;
import dev.northwind.lakehouse.cdc.CdcCapture;
import dev.northwind.lakehouse.cdc.CdcSettings;
import dev.northwind.lakehouse.cdc.CdcStage;
import dev.northwind.lakehouse.cdc.Preflight;
import dev.northwind.lakehouse.cdc.SourceKind;
import dev.northwind.lakehouse.lake.Lake;
import dev.northwind.lakehouse.source.JdbcSource;
import dev.northwind.lakehouse.stream.KafkaTopics;
import dev.northwind.lakehouse.stream.StreamJob;
import dev.northwind.lakehouse.stream.StreamTrigger;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Change data capture: PostgreSQL's WAL through Debezium into Kafka, and from there into Bronze.
 */
@Command(
    name = "cdc",
    mixinStandardHelpOptions = true,
    description = {
      "Capture every change of the source tables from PostgreSQL's WAL (Debezium, pgoutput, a replication slot)",
      "into Kafka (a topic per table, keyed by primary key), and stream them into bronze.cdc_changes exactly once.",
      "Checks the database first and names what is missing. Runs until Ctrl-C, or with --until-idle captures what",
      "is there, fills Bronze and exits. docs/cdc.md explains the setup, topics, tables and guarantees."
    })
final class CdcCommand extends JobCommand {

  @Option(
      names = "--until-idle",
      description =
          "Capture until no change arrived for cdc.idle, stream the topics into Bronze, exit.")
  boolean untilIdle;

  @Option(
      names = "--stage",
      paramLabel = "STAGE",
      defaultValue = "all",
      description =
          "all (default): capture and Bronze; capture: Debezium into Kafka only; bronze: Kafka into Bronze only.")
  CdcStage stage;

  @Option(
      names = "--drop-slot",
      description =
          "Drop the replication slot and the publication (and the stored offsets), then exit; "
              + "the next run starts with a new snapshot.")
  boolean dropSlot;

  @Override
  int run(Context ctx) throws Exception {
    CdcCapture.logs(ctx.verbosity());
    CdcSettings settings = CdcSettings.of(ctx.config());
    Lake lake = ctx.lake();
    Path offsets =
        CdcCapture.offsetsFile(
            URI.create(lake.checkpoint("cdc_capture_" + settings.slot())),
            ctx.config().servicesDir(),
            settings.slot());
    String schema = ctx.config().source().schema();
    if (dropSlot) {
      return drop(ctx, settings, offsets);
    }
    CdcCapture capture = null;
    List<String> tables = List.of();
    if (stage != CdcStage.BRONZE) {
      // No offsets: Debezium starts with a new snapshot, which a streamed history cannot take.
      if (!Files.exists(offsets) && CdcBronzeJob.hasStreamedChanges(ctx.spark(), lake)) {
        throw LakehouseErrors.cdcNewSnapshotOverHistory(settings.slot(), offsets, lake.root());
      }
      JdbcSource source = ctx.source();
      SourceKind kind =
          ctx.config().source().jdbcUrl().isPresent() ? SourceKind.EXTERNAL : SourceKind.EMBEDDED;
      tables = new Preflight(source, schema, settings).run(kind, ctx.progress()).tables();
      StreamJob.checkBrokerReachable(ctx.kafkaBootstrap());
      capture =
          new CdcCapture(source, schema, ctx.kafkaBootstrap(), settings, offsets, ctx.progress());
    }
    if (stage == CdcStage.CAPTURE) {
      capture.run(tables, untilIdle ? CdcCapture.Until.IDLE : CdcCapture.Until.STOPPED);
      return 0;
    }
    if (stage == CdcStage.BRONZE) {
      StreamJob.checkBrokerReachable(ctx.kafkaBootstrap());
    }
    // Until idle, the Bronze stream beside the capture runs a micro-batch every second, so the
    // command ends about a second after the capture rather than one trigger interval after it.
    CdcBronzeJob bronze =
        new CdcBronzeJob(
            ctx.spark(),
            lake,
            KafkaTopics.pattern(ctx.kafkaBootstrap(), settings.topicPattern(schema)),
            untilIdle && capture != null
                ? CdcBronzeJob.UNTIL_IDLE_INTERVAL
                : ctx.config().stream().triggerInterval(),
            ctx.progress());
    if (capture == null) {
      bronze.run(untilIdle ? StreamTrigger.AVAILABLE_NOW : StreamTrigger.PROCESSING_TIME, q -> {});
      return 0;
    }
    CaptureIntoBronze.run(
        capture, tables, bronze, untilIdle ? CdcCapture.Until.IDLE : CdcCapture.Until.STOPPED);
    return 0;
  }

  private static int drop(Context ctx, CdcSettings settings, Path offsets) throws IOException {
    List<String> dropped =
        new Preflight(ctx.source(), ctx.config().source().schema(), settings).drop();
    if (Files.deleteIfExists(offsets)) {
      dropped = new java.util.ArrayList<>(dropped);
      dropped.add("stored offsets " + offsets);
    }
    ctx.progress()
        .report(
            dropped.isEmpty()
                ? "cdc: nothing to drop (no slot "
                    + settings.slot()
                    + ", no publication "
                    + settings.publication()
                    + ")"
                : "cdc: dropped " + String.join(", ", dropped));
    return 0;
  }
}

package dev.northwind.lakehouse.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.northwind.lakehouse.testing.TestSpark;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local file system without child processes gives what Hadoop's own gives: the same
 * permissions, checksum files, renames and link statuses, through both Hadoop APIs; and local
 * sessions use it.
 */
class NioLocalFileSystemTest {

  @TempDir Path dir;

  private static Configuration conf() {
    Configuration conf = new Configuration(false);
    conf.set("fs.file.impl", NioLocalFileSystem.class.getName());
    conf.set("fs.file.impl.disable.cache", "true");
    conf.set("fs.AbstractFileSystem.file.impl", NioLocalFs.class.getName());
    return conf;
  }

  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static void write(FileSystem fs, Path file, FsPermission perm) throws IOException {
    try (OutputStream out = fs.create(hadoop(file), perm, true, 4096, (short) 1, 1 << 20, null)) {
      out.write(1);
    }
  }

  @Test
  void foldersAndFilesGetTheSamePermissionsAsWithHadoopsOwn() throws Exception {
    FileSystem nio = FileSystem.get(dir.toUri(), conf());
    assertThat(nio).isInstanceOf(NioLocalFileSystem.class);
    LocalFileSystem hadoops = new LocalFileSystem();
    hadoops.initialize(dir.toUri(), new Configuration(false));

    for (String octal : new String[] {"750", "755", "700"}) {
      FsPermission perm = new FsPermission(octal);
      assertThat(nio.mkdirs(hadoop(dir.resolve("nio-" + octal + "/a")), perm)).isTrue();
      assertThat(hadoops.mkdirs(hadoop(dir.resolve("own-" + octal + "/a")), perm)).isTrue();
      assertThat(mode(dir.resolve("nio-" + octal + "/a")))
          .isEqualTo(mode(dir.resolve("own-" + octal + "/a")));
      write(nio, dir.resolve("nio-" + octal + "/f"), perm);
      write(hadoops, dir.resolve("own-" + octal + "/f"), perm);
      assertThat(mode(dir.resolve("nio-" + octal + "/f")))
          .isEqualTo(mode(dir.resolve("own-" + octal + "/f")));
      // The checksum file beside it, as LocalFileSystem writes.
      assertThat(dir.resolve("nio-" + octal + "/.f.crc")).exists();
    }
    nio.setPermission(hadoop(dir.resolve("nio-700/f")), new FsPermission("640"));
    assertThat(mode(dir.resolve("nio-700/f"))).isEqualTo("rw-r-----");
    assertThatThrownBy(
            () -> nio.setPermission(hadoop(dir.resolve("missing")), new FsPermission("640")))
        .isInstanceOf(IOException.class);
  }

  @Test
  void fileContextCreatesRenamesAndOverwritesAsDeltaAndCheckpointsDo() throws Exception {
    FileContext fc = FileContext.getFileContext(dir.toUri(), conf());
    assertThat(fc.getDefaultFileSystem()).isInstanceOf(NioLocalFs.class);
    org.apache.hadoop.fs.Path tmp = hadoop(dir.resolve("_delta_log/.00000.json.tmp"));
    org.apache.hadoop.fs.Path commit = hadoop(dir.resolve("_delta_log/00000.json"));
    try (OutputStream out =
        fc.create(
            tmp,
            EnumSet.of(CreateFlag.CREATE),
            Options.CreateOpts.createParent(),
            Options.CreateOpts.perms(new FsPermission("644")))) {
      out.write("{\"commitInfo\":{}}".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(mode(dir.resolve("_delta_log/.00000.json.tmp"))).isEqualTo("rw-r--r--");
    fc.rename(tmp, commit, Options.Rename.NONE);
    assertThat(dir.resolve("_delta_log/00000.json")).hasContent("{\"commitInfo\":{}}");
    assertThat(dir.resolve("_delta_log/.00000.json.tmp")).doesNotExist();
    // A second writer of the same version loses: the rename without OVERWRITE fails.
    try (OutputStream out = fc.create(tmp, EnumSet.of(CreateFlag.CREATE))) {
      out.write('x');
    }
    assertThatThrownBy(() -> fc.rename(tmp, commit, Options.Rename.NONE))
        .isInstanceOf(IOException.class);
    fc.rename(tmp, commit, Options.Rename.OVERWRITE);
    assertThat(dir.resolve("_delta_log/00000.json")).hasContent("x");
    assertThatThrownBy(() -> fc.getFileStatus(hadoop(dir.resolve("nothing"))))
        .isInstanceOf(FileNotFoundException.class);
  }

  @Test
  void aSymbolicLinkHasTheStatusHadoopsOwnGivesIt() throws Exception {
    Path target = Files.writeString(dir.resolve("target.txt"), "t");
    Path link = Files.createSymbolicLink(dir.resolve("link.txt"), target);
    Configuration own = new Configuration();
    own.set("fs.file.impl.disable.cache", "true");
    for (Path p : new Path[] {target, link}) {
      FileStatus nio = FileSystem.get(dir.toUri(), conf()).getFileLinkStatus(hadoop(p));
      FileStatus hadoops = FileSystem.get(dir.toUri(), own).getFileLinkStatus(hadoop(p));
      assertThat(nio.isSymlink()).as(p.toString()).isEqualTo(hadoops.isSymlink());
      assertThat(nio.getLen()).as(p.toString()).isEqualTo(hadoops.getLen());
      FileStatus nioFc =
          FileContext.getFileContext(dir.toUri(), conf()).getFileLinkStatus(hadoop(p));
      FileStatus ownFc = FileContext.getFileContext(dir.toUri(), own).getFileLinkStatus(hadoop(p));
      assertThat(nioFc.isSymlink()).as(p.toString()).isEqualTo(ownFc.isSymlink());
      assertThat(nioFc.getLen()).as(p.toString()).isEqualTo(ownFc.getLen());
    }
  }

  @Test
  void aLocalSessionWritesItsLakeThroughIt() throws Exception {
    SparkSession spark = TestSpark.spark();
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    assertThat(hadoopConf.get("fs.file.impl")).isEqualTo(NioLocalFileSystem.class.getName());
    assertThat(hadoopConf.get("fs.AbstractFileSystem.file.impl"))
        .isEqualTo(NioLocalFs.class.getName());
    assertThat(FileContext.getFileContext(dir.toUri(), hadoopConf).getDefaultFileSystem())
        .isInstanceOf(NioLocalFs.class);
  }
}

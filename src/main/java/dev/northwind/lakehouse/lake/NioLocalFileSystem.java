package dev.northwind.lakehouse.lake;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file:}) without a child process per file. Hadoop's own runs
 * {@code chmod} for every file and folder it creates and {@code readlink} for every rename when its
 * native library is absent, as it is in Spark's distribution: about 4 ms of a core each, eight
 * processes per Delta commit (the commit file, its checksum, each Parquet file), thousands in a
 * pipeline run on a laptop. This one does the same through {@code java.nio}, with the same results:
 * the same permissions on the same files, the same statuses, checksums as before ({@link
 * LocalFileSystem} wraps it). A sticky bit, which {@code java.nio} cannot set, and symbolic links
 * still go to Hadoop's code.
 *
 * <p>Used for local masters only ({@link SparkSessions}), where the driver is the only executor.
 */
public final class NioLocalFileSystem extends LocalFileSystem {

  public NioLocalFileSystem() {
    super(new Raw());
  }

  /** The raw file system under the checksums; {@link NioLocalFs} delegates to it too. */
  static final class Raw extends RawLocalFileSystem {

    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      if (permission.getStickyBit()) {
        super.setPermission(p, permission);
        return;
      }
      String rwx =
          permission.getUserAction().SYMBOL
              + permission.getGroupAction().SYMBOL
              + permission.getOtherAction().SYMBOL;
      Files.setPosixFilePermissions(pathToFile(p).toPath(), PosixFilePermissions.fromString(rwx));
    }

    @Override
    public FileStatus getFileLinkStatus(Path f) throws IOException {
      File file = pathToFile(f);
      return Files.isSymbolicLink(file.toPath()) ? super.getFileLinkStatus(f) : getFileStatus(f);
    }
  }
}

package dev.northwind.lakehouse;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Deletes a folder and everything in it: a lake table or a whole lake on any Hadoop file system
 * (file:, s3a:, hdfs:), or an embedded service's local data folder. A missing folder is fine.
 */
public final class Folders {

  private Folders() {}

  /**
   * Deletes the folder at a URI. A local one ({@code file:} or no scheme) is walked here, without
   * starting Hadoop's file system (the embedded services run without Spark); any other scheme goes
   * through Hadoop's {@link FileSystem} with the given configuration (e.g. the session's, which
   * holds the s3a settings).
   */
  public static void delete(URI folder, Configuration hadoop) throws IOException {
    if (folder.getScheme() == null || "file".equals(folder.getScheme())) {
      delete(folder.getScheme() == null ? Path.of(folder.getPath()) : Path.of(folder));
      return;
    }
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(folder);
    FileSystem fs = p.getFileSystem(hadoop);
    if (!fs.delete(p, true) && fs.exists(p)) {
      throw new IOException("Could not delete " + folder);
    }
  }

  /** Deletes a local folder. */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            deleteIfPresent(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
              throw e;
            }
            deleteIfPresent(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void deleteIfPresent(Path p) throws IOException {
    // A server that just stopped may still be removing its own files (pid file, sockets), and a
    // stream may still be removing its temporary files.
    Files.deleteIfExists(p);
  }
}

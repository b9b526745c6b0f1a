package dev.northwind.lakehouse.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A class-data-sharing archive of the dependencies' classes for the child JVMs of the integration
 * tests, made as the launcher makes its own (`lakehouse warmup` lists the classes a Spark job
 * loads, then the JVM dumps them): a child then starts Spark in about half the time and CPU (22 s
 * to 12 s wall, 10.5 s to 5.4 s of CPU on the busy 2-core machine), and the kill and failure tests
 * start dozens of children. Made once per set of jars under {@code target/child-cds/} (about a
 * minute, on first use); any failure to make it only means children start without it.
 */
final class ChildArchive {

  private static final Path DIR = Path.of("target", "child-cds");
  private static final Path ARCHIVE = DIR.resolve("child.jsa");
  private static final Path FOR_JARS = DIR.resolve("child.jsa.classpath");

  private static final List<String> ENTRIES =
      List.of(System.getProperty("java.class.path").split(File.pathSeparator));
  private static final List<String> JARS =
      ENTRIES.stream().filter(e -> e.endsWith(".jar")).toList();

  private static List<String> flags;

  private ChildArchive() {}

  /**
   * The test JVM's class path with the jars first and the class folders last: an archive can only
   * hold classes from jars that come before any non-empty folder.
   */
  static String classPath() {
    List<String> folders = ENTRIES.stream().filter(e -> !e.endsWith(".jar")).toList();
    return String.join(File.pathSeparator, JARS)
        + File.pathSeparator
        + String.join(File.pathSeparator, folders);
  }

  /** The flags that make a child use the archive; none when it cannot be made. */
  static synchronized List<String> flags() {
    if (flags == null) {
      flags =
          make()
              ? List.of(
                  "-XX:SharedArchiveFile=" + ARCHIVE.toAbsolutePath(),
                  "-Xlog:cds=off",
                  "-Xlog:cds+dynamic=off")
              : List.of();
    }
    return flags;
  }

  private static boolean make() {
    String jars = String.join(File.pathSeparator, JARS);
    try {
      if (Files.exists(ARCHIVE)
          && Files.exists(FOR_JARS)
          && Files.readString(FOR_JARS, StandardCharsets.UTF_8).equals(jars)) {
        return true;
      }
      Files.createDirectories(DIR);
      Files.deleteIfExists(ARCHIVE);
      Path classList = DIR.resolve("child.classlist");
      Path tmp = DIR.resolve("child.jsa.tmp");
      Path log = DIR.resolve("make.log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> train = new ArrayList<>(List.of(java, "-Xmx2g"));
      train.addAll(ChildLakehouse.jvmFlags());
      train.addAll(
          List.of(
              "-XX:DumpLoadedClassList=" + classList,
              "-cp",
              classPath(),
              ChildLakehouse.MAIN,
              "warmup"));
      List<String> dump = new ArrayList<>(List.of(java));
      dump.addAll(ChildLakehouse.jvmFlags());
      dump.addAll(
          List.of(
              "-Xshare:dump",
              "-XX:SharedClassListFile=" + classList,
              "-XX:SharedArchiveFile=" + tmp,
              "-cp",
              jars));
      long t0 = System.nanoTime();
      if (run(train, log) && run(dump, log) && Files.exists(tmp)) {
        Files.move(tmp, ARCHIVE, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(FOR_JARS, jars, StandardCharsets.UTF_8);
        System.err.printf(
            "child JVMs: class-data archive made in %.1f s (%s)%n",
            (System.nanoTime() - t0) / 1e9, ARCHIVE);
        return true;
      }
      System.err.println("child JVMs: no class-data archive (see " + log + "); starting without");
      return false;
    } catch (IOException e) {
      System.err.println("child JVMs: no class-data archive (" + e + "); starting without");
      return false;
    }
  }

  private static boolean run(List<String> cmd, Path log) throws IOException {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return false;
    }
  }
}

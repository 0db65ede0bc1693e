package org.warpspark.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.warpspark.testing.HangUpEndpoint;
import org.warpspark.storage.StorageAccess;

/**
 * How long one s3a lookup takes to give up on an endpoint that hangs up, and how many connections it
 * makes: with s3a's own retry settings, and with the ones {@link StorageAccess} applies.
 */
final class StorageBench {
  private final PrintWriter out;

  StorageBench(PrintWriter out) {
    this.out = out;
  }

  void run() throws IOException {
    out.println("s3a lookup against an endpoint that hangs up | seconds | connections");
    measure("s3a's defaults", new Configuration());
    measure("warpspark's defaults", StorageAccess.configuration());
  }

  private void measure(String label, Configuration conf) throws IOException {
    try (HangUpEndpoint endpoint = new HangUpEndpoint()) {
      conf.set("fs.s3a.endpoint", endpoint.url());
      conf.set("fs.s3a.endpoint.region", "us-east-1");
      conf.set("fs.s3a.path.style.access", "true");
      conf.set("fs.s3a.connection.ssl.enabled", "false");
      conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider");
      Path path = new Path("s3a://bench/image.nii.gz");
      long start = System.nanoTime();
      try (FileSystem fs = FileSystem.newInstance(path.toUri(), conf)) {
        fs.getFileStatus(path);
        throw new IllegalStateException("an endpoint that hangs up answered");
      } catch (IOException expected) {
        out.printf(Locale.ROOT, "%-44s | %7.1f | %d%n", label, (System.nanoTime() - start) / 1e9,
            endpoint.connections());
      }
    }
  }
}

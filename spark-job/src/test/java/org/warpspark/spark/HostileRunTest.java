package org.warpspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.testing.Tripwires;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.NiftiBytes;
import org.warpspark.pair.RegistrationConfig;
import org.warpspark.testing.StalledFileSystem;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.table.Registrations;

/**
 * A catalogue of hostile and careless inputs, all in one run beside good 2D and 3D pairs, as an
 * attacker or a hurried user would send them. The run must end within a bound; every good pair is
 * {@code ok}; every bad one fails with an error that names the pair, the file and the cause; no
 * secret reaches a log, a table or the printed summary; the file outside the inputs is never opened
 * (a named pipe: opening it would block, and the run would not end); no request reaches the listener.
 */
class HostileRunTest {
  private static final String KEY = "AKIAIOSFODNN7EXAMPLE";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final Map<String, String> QUICK = Map.of("stages", "affine", "levels", "2,1", "iterations", "20,20");

  @TempDir
  static Path dir;
  static SparkSession spark;
  static Path in;
  static Path sentinel;
  static ServerSocket listener;

  /** One pair of the catalogue: what it holds and what must come of it. */
  record Case(String id, String fixed, String moving, String fixedLabels, String movingLabels, String fixedMask,
      String overrides, String named, String cause) {
    boolean good() {
      return cause == null;
    }
  }

  private static final List<Case> CASES = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    spark = SparkSessions.builder("HostileRunTest", "local[2]").config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().hadoopConfiguration().set("fs.hdfs.impl", StalledFileSystem.class.getName());
    spark.sparkContext().hadoopConfiguration().setBoolean("fs.hdfs.impl.disable.cache", true);
    StalledFileSystem.rearm();
    listener = new ServerSocket(0);
    in = Files.createDirectories(dir.resolve("in"));
    sentinel = Tripwires.fifo(dir.resolve("outside/sentinel.raw"));
    SamplePairs.write(in);
  }

  @AfterAll
  static void stop() throws IOException {
    StalledFileSystem.release();
    listener.close();
    spark.stop();
  }

  private static String f(String name) {
    return in.resolve(name).toString();
  }

  private static void good(String id, String fixed, String moving, String overrides) {
    CASES.add(new Case(id, fixed, moving, null, null, null, overrides, null, null));
  }

  /** A bad moving image: the error must name {@code file} and say {@code cause}. */
  private static void badMoving(String id, String file, String cause) {
    CASES.add(new Case(id, f("sample_2d_fixed.nii.gz"), file, null, null, null, "", name(file), cause));
  }

  private static void bad(String id, String fixed, String moving, String fixedLabels, String movingLabels,
      String mask, String overrides, String named, String cause) {
    CASES.add(new Case(id, fixed, moving, fixedLabels, movingLabels, mask, overrides, named, cause));
  }

  private static String name(String file) {
    int slash = file.lastIndexOf('/');
    return slash < 0 ? file : file.substring(slash + 1);
  }

  /** A small 2D NIfTI whose voxels are a smooth blob, for breaking one field at a time. */
  private static NiftiBytes nifti() {
    NiftiBytes n = new NiftiBytes();
    n.dim = new long[] {2, 16, 16, 1, 1, 1, 1, 1};
    float[] v = new float[256];
    for (int i = 0; i < v.length; i++) {
      double x = i % 16 - 7.5;
      double y = i / 16 - 7.5;
      v[i] = (float) (100 * Math.exp(-(x * x + y * y) / 20));
    }
    return n.floatData(v);
  }

  private static String write(String name, NiftiBytes n) throws IOException {
    return n.writeTo(in.resolve(name)).toString();
  }

  private static String write(String name, byte[] bytes) throws IOException {
    return Files.write(in.resolve(name), bytes).toString();
  }

  private static String text(String name, String text) throws IOException {
    return Files.writeString(in.resolve(name), text).toString();
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      gz.write(bytes);
    }
    return zipped.toByteArray();
  }

  private static String mhd(String name, String fields) throws IOException {
    return text(name, "ObjectType = Image\nNDims = 2\nDimSize = 16 16\nElementSpacing = 1 1\n" + fields);
  }

  private static String png(String name, BufferedImage image, String format) throws IOException {
    Path file = in.resolve(name);
    assertTrue(ImageIO.write(image, format, file.toFile()), format);
    return file.toString();
  }

  private static BufferedImage gray(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.getRaster().setSample(x, y, 0, (x * 7 + y * 3) % 256);
      }
    }
    return image;
  }

  private static void catalogue() throws Exception {
    String fixed2d = f("sample_2d_fixed.nii.gz");
    String moving2d = f("sample_2d_moving.nii.gz");
    // Good pairs: they must come out ok whatever else the run holds.
    good("good_2d", fixed2d, moving2d, "");
    good("good_3d", f("sample_3d_fixed.nii.gz"), f("sample_3d_moving.nii.gz"), "");
    Files.copy(Path.of(moving2d), in.resolve("moving with spaces.nii.gz"));
    good("good_spaces", fixed2d, f("moving with spaces.nii.gz"), "");
    org.warpspark.image.Image m = ImageFiles.read(moving2d);
    float[] loud = m.voxels().clone();
    for (int i = 0; i < loud.length; i++) {
      loud[i] *= 1e20f; // squares overflow float32
    }
    ImageFiles.write(org.warpspark.image.Image.of(m.grid(), loud), f("loud.nii.gz"));
    good("loud_intensities", fixed2d, f("loud.nii.gz"), "");
    for (String name : List.of("sample_2d_fixed", "sample_2d_moving")) {
      org.warpspark.image.Image image = ImageFiles.read(f(name + ".nii.gz"));
      Grid g = image.grid();
      double[] spacing = Arrays.stream(g.spacing()).map(s -> s * 1e-4).toArray();
      double[] origin = Arrays.stream(g.origin()).map(o -> o * 1e-4).toArray();
      ImageFiles.write(org.warpspark.image.Image.of(new Grid(g.size(), spacing, origin, g.direction()), image.voxels()),
          f("micro_" + name + ".nii.gz"));
    }
    good("microscopy_spacing", f("micro_sample_2d_fixed.nii.gz"), f("micro_sample_2d_moving.nii.gz"), "");

    // NIfTI headers and data.
    byte[] moving = Files.readAllBytes(Path.of(moving2d));
    badMoving("gz_truncated", write("gz_truncated.nii.gz", Arrays.copyOf(moving, moving.length / 2)), "truncated");
    byte[] crc = moving.clone();
    crc[crc.length - 8] ^= 0x5a;
    badMoving("gz_bad_crc", write("gz_bad_crc.nii.gz", crc), "corrupt");
    badMoving("gz_not_gzip", write("gz_not_gzip.nii.gz", "plain text, not gzip".getBytes(StandardCharsets.UTF_8)),
        "gzip");
    badMoving("empty_file", write("empty_file.nii", new byte[0]), "empty");
    badMoving("short_header", write("short_header.nii", new byte[100]), "not a NIfTI file");
    NiftiBytes n = nifti();
    n.data = Arrays.copyOf(n.data, 100);
    badMoving("raw_truncated", write("raw_truncated.nii", n), "truncated");
    n = nifti();
    n.magic = new byte[] {'x', 'x', 'x', 0};
    badMoving("bad_magic", write("bad_magic.nii", n), "magic");
    n = nifti();
    n.datatype = 128;
    badMoving("rgb_datatype", write("rgb_datatype.nii", n), "datatype");
    n = nifti();
    n.datatype = 1234;
    badMoving("unknown_datatype", write("unknown_datatype.nii", n), "datatype");
    n = nifti();
    n.dim = new long[] {4, 16, 16, 1, 3, 1, 1, 1};
    badMoving("four_volumes", write("four_volumes.nii", n), "volumes");
    n = nifti();
    n.dim = new long[] {1, 256, 1, 1, 1, 1, 1, 1};
    badMoving("one_dimension", write("one_dimension.nii", n), "1D");
    n = nifti();
    n.dim = new long[] {2, -16, 16, 1, 1, 1, 1, 1};
    badMoving("negative_dim", write("negative_dim.nii", n), "dim");
    n = nifti();
    n.dim = new long[] {3, 30000, 30000, 30000, 1, 1, 1, 1};
    badMoving("gz_bomb", write("gz_bomb.nii.gz", n), "voxels");
    byte[] far = nifti().bytes();
    ByteBuffer.wrap(far).order(ByteOrder.LITTLE_ENDIAN).putFloat(108, 1e9f); // vox_offset
    badMoving("far_vox_offset", write("far_vox_offset.nii", far), "header");
    n = nifti();
    n.floatData(Float.NaN, 1, 2, 3);
    n.dim = new long[] {2, 2, 2, 1, 1, 1, 1, 1};
    badMoving("nan_voxels", write("nan_voxels.nii", n), "NaN");
    n = nifti();
    n.pixdim = new double[] {1, 0, 1, 1, 1, 1, 1, 1};
    badMoving("zero_spacing", write("zero_spacing.nii", n), "spacing");
    n = nifti();
    n.pixdim = new double[] {1, 1e6, 1e6, 1, 1, 1, 1, 1};
    badMoving("huge_spacing", write("huge_spacing.nii", n), "spacing units");
    n = nifti();
    n.sclSlope = 1e38;
    badMoving("huge_scl_slope", write("huge_scl_slope.nii", n), "scl_slope");
    n = nifti();
    n.floatData(new float[256]);
    badMoving("all_zero", write("all_zero.nii", n), "constant");
    n = nifti();
    float[] five = new float[256];
    Arrays.fill(five, 5);
    n.floatData(five);
    badMoving("constant", write("constant.nii", n), "constant");
    n = nifti();
    n.sformCode = 1;
    n.srow = new double[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    badMoving("singular_sform", write("singular_sform.nii", n), "singular");
    badMoving("analyze_pair", text("analyze_pair.hdr", "not read"), "Analyze");

    // MetaImage headers that try to reach beyond themselves, or lie.
    String sentinelName = sentinel.toString();
    badMoving("mhd_absolute", mhd("mhd_absolute.mhd", "ElementType = MET_UCHAR\nElementDataFile = " + sentinelName
        + "\n"), "beside the header");
    badMoving("mhd_parent", mhd("mhd_parent.mhd", "ElementType = MET_UCHAR\nElementDataFile = ../outside/sentinel.raw\n"),
        "beside the header");
    badMoving("mhd_file_uri", mhd("mhd_file_uri.mhd", "ElementType = MET_UCHAR\nElementDataFile = file:" + sentinelName
        + "\n"), "beside the header");
    badMoving("mhd_http", mhd("mhd_http.mhd", "ElementType = MET_UCHAR\nCompressedData = True\nElementDataFile = "
        + "http://127.0.0.1:" + listener.getLocalPort() + "/x.raw\n"), "beside the header");
    badMoving("mhd_itself", mhd("mhd_itself.mhd", "ElementType = MET_UCHAR\nElementDataFile = mhd_itself.mhd\n"),
        "beside the header");
    badMoving("mhd_missing_data", mhd("mhd_missing_data.mhd", "ElementType = MET_UCHAR\nElementDataFile = nothere.raw\n"),
        "nothere.raw");
    text("short.raw", "0123456789");
    badMoving("mhd_short_data", mhd("mhd_short_data.mhd", "ElementType = MET_UCHAR\nElementDataFile = short.raw\n"),
        "short.raw");
    badMoving("mhd_element_type", mhd("mhd_element_type.mhd", "ElementType = MET_STRING\nElementDataFile = short.raw\n"),
        "ElementType");
    badMoving("mhd_dims_mismatch", text("mhd_dims_mismatch.mhd", "NDims = 3\nDimSize = 16 16\nElementType = MET_UCHAR\n"
        + "ElementDataFile = short.raw\n"), "DimSize");
    badMoving("mhd_negative_size", text("mhd_negative_size.mhd", "NDims = 2\nDimSize = -16 16\nElementType = MET_UCHAR\n"
        + "ElementDataFile = short.raw\n"), "DimSize");
    badMoving("mhd_huge", text("mhd_huge.mhd", "NDims = 3\nDimSize = 100000 100000 100000\nElementType = MET_UCHAR\n"
        + "ElementDataFile = short.raw\n"), "voxels");
    badMoving("mhd_long_line", text("mhd_long_line.mhd", "NDims = 2\nComment = " + "x".repeat(200_000) + "\n"), "line");
    badMoving("mha_binary", write("mha_binary.mha", new byte[] {0, 1, 2, 3, (byte) 0xff, 0, 0, 0}), "header");
    write("bad_zlib.raw", "not zlib at all".getBytes(StandardCharsets.UTF_8));
    badMoving("mhd_bad_zlib", mhd("mhd_bad_zlib.mhd", "ElementType = MET_UCHAR\nCompressedData = True\n"
        + "ElementDataFile = bad_zlib.raw\n"), "bad_zlib");
    badMoving("mhd_channels", mhd("mhd_channels.mhd", "ElementType = MET_UCHAR\nElementNumberOfChannels = 3\n"
        + "ElementDataFile = short.raw\n"), "channels");

    // PNG and TIFF.
    Path tiff = in.resolve("looped.tif");
    assertTrue(ImageIO.write(gray(8, 8), "tiff", tiff.toFile()));
    ByteBuffer t = ByteBuffer.wrap(Files.readAllBytes(tiff));
    t.order(t.get(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    int first = t.getInt(4);
    int entries = Short.toUnsignedInt(t.getShort(first));
    ByteBuffer zeroWidth = ByteBuffer.wrap(t.array().clone()).order(t.order());
    t.putInt(first + 2 + 12 * entries, first);
    Files.write(tiff, t.array());
    badMoving("tiff_loop", tiff.toString(), "loops back");
    for (int e = 0; e < entries; e++) {
      int at = first + 2 + 12 * e;
      if (zeroWidth.getShort(at) == 256) { // ImageWidth
        zeroWidth.putShort(at + 2, (short) 3).putInt(at + 4, 1).putShort(at + 8, (short) 0);
      }
    }
    badMoving("tiff_zero_width", write("tiff_zero_width.tif", zeroWidth.array()), "width");
    String goodPng = png("good.png", gray(24, 20), "png");
    byte[] pngBytes = Files.readAllBytes(Path.of(goodPng));
    badMoving("png_truncated", write("png_truncated.png", Arrays.copyOf(pngBytes, pngBytes.length / 2)), "png");
    byte[] r = new byte[] {0, (byte) 255, 0};
    BufferedImage palette = new BufferedImage(24, 20, BufferedImage.TYPE_BYTE_INDEXED,
        new IndexColorModel(8, 3, r, new byte[] {0, 0, (byte) 255}, new byte[] {(byte) 255, 0, 0}));
    badMoving("png_colour_palette", png("png_colour_palette.png", palette, "png"), "colour");
    badMoving("png_rgb", png("png_rgb.png", new BufferedImage(24, 20, BufferedImage.TYPE_INT_RGB), "png"), "channels");
    badMoving("png_text", text("png_text.png", "this is not a picture"), "not a PNG or TIFF");
    good("jpeg_named_png", goodPng, png("jpeg_named_png.png", gray(24, 20), "jpeg"), ""); // read by content

    // File-system oddities.
    badMoving("fifo", Tripwires.fifo(in.resolve("fifo.nii.gz")).toString(), "not a regular file");
    Path loopA = in.resolve("loop_a.nii.gz");
    Files.createSymbolicLink(loopA, in.resolve("loop_b.nii.gz"));
    Files.createSymbolicLink(in.resolve("loop_b.nii.gz"), loopA);
    badMoving("symlink_loop", loopA.toString(), "symbolic link");
    Files.createDirectories(in.resolve("folder.nii.gz"));
    badMoving("folder", f("folder.nii.gz"), "folder");
    Files.createSymbolicLink(in.resolve("device.nii.gz"), Path.of("/dev/zero"));
    badMoving("device", f("device.nii.gz"), "not a regular file");
    badMoving("missing", f("nowhere.nii.gz"), "does not exist");
    badMoving("unknown_extension", text("notes.txt", "x"), "extension");
    badMoving("colon_name", "scan:1.nii.gz", "scheme");
    badMoving("stalled_mount", "hdfs://nfs/scans/m.nii.gz", "no answer within 10 s");

    // Locations that would send a request or leak a secret.
    String port = String.valueOf(listener.getLocalPort());
    badMoving("http", "http://127.0.0.1:" + port + "/m.nii.gz", "not read over 'http:'");
    badMoving("https", "https://127.0.0.1:" + port + "/m.nii.gz", "not read over 'https:'");
    badMoving("ftp", "ftp://127.0.0.1:" + port + "/m.nii.gz", "not read over 'ftp:'");
    badMoving("jar", "jar:file:" + sentinelName + "!/x.nii.gz", "not read over 'jar:'");
    badMoving("s3_secret_slash", "s3a://" + KEY + ":" + SECRET + "@bucket/m.nii.gz", "holds credentials");
    badMoving("s3_key_only", "s3a://" + KEY + "@bucket/m.nii.gz", "holds credentials");
    badMoving("hdfs_secret", "hdfs://" + KEY + ":" + SECRET + "@namenode:8020/m.nii.gz", "holds credentials");

    // Label maps and masks off their image's grid, pairs that cannot be registered.
    String labels = f("sample_2d_fixed_labels.nii.gz");
    Grid grid = SamplePairs.GRID_2D;
    ImageFiles.write(org.warpspark.image.Image.of(new Grid(grid.size(), grid.spacing(), new double[] {grid.origin()[0]
        + 20, grid.origin()[1]}, grid.direction()), ImageFiles.read(labels).voxels()), f("labels_shifted.nii.gz"));
    bad("labels_shifted", fixed2d, moving2d, f("labels_shifted.nii.gz"), f("sample_2d_moving_labels.nii.gz"), null,
        "", "labels_shifted.nii.gz", "grid");
    bad("labels_other_size", fixed2d, moving2d, f("sample_3d_fixed.nii.gz"), f("sample_2d_moving_labels.nii.gz"), null,
        "", "sample_3d_fixed.nii.gz", "grid");
    bad("moving_labels_off", fixed2d, moving2d, labels, f("labels_shifted.nii.gz"), null, "", "labels_shifted.nii.gz",
        "grid");
    bad("mask_other_size", fixed2d, moving2d, null, null, f("sample_3d_fixed.nii.gz"), "", "sample_3d_fixed.nii.gz",
        "grid");
    bad("dims_mismatch", fixed2d, f("sample_3d_moving.nii.gz"), null, null, null, "", "", "2D");
    bad("too_many_voxels", fixed2d, moving2d, null, null, null, "max-voxels=100", "sample_2d_fixed.nii.gz",
        "limit of 100 voxels");
    good("pyramid_coarser_than_image", fixed2d, moving2d, "levels=128;iterations=20"); // each axis keeps a few voxels
    bad("lncc_window_too_wide", fixed2d, moving2d, null, null, null,
        "stages=affine,deformable;lncc-window=99;deformable-levels=1;deformable-iterations=2", "", "window");
    bad("control_grid_too_fine", fixed2d, moving2d, null, null, null,
        "stages=affine,deformable;deformable-model=bspline;control-spacing=1e-4", "", "control");
  }

  @Test
  void aRunOfHostileInputsKeepsTheGoodPairsAndNamesEveryCause() throws Exception {
    catalogue();
    StringBuilder manifest = new StringBuilder("pair_id,fixed,moving,fixed_labels,moving_labels,fixed_mask,overrides\n");
    for (Case c : CASES) {
      manifest.append(String.join(",", c.id(), quoted(c.fixed()), quoted(c.moving()), quoted(c.fixedLabels()),
          quoted(c.movingLabels()), quoted(c.fixedMask()), quoted(c.overrides()))).append('\n');
    }
    Path manifestFile = Files.writeString(dir.resolve("hostile.csv"), manifest);
    StringWriter log = new StringWriter();
    StringWriter printed = new StringWriter();
    String out = dir.resolve("tables").toString();
    RegistrationConfig config = RegistrationConfig.of(QUICK).with(Map.of("time-limit", "10"));
    RunJob.Summary summary;
    try (var captured = LogCapture.into(log)) {
      summary = Assertions.assertTimeoutPreemptively(Duration.ofMinutes(6), () -> RunJob.run(spark,
          RunJob.Options.of("hostile.csv", Manifest.read(spark, manifestFile.toString()), out, "hostile", config)
              .withMaxFailedFraction(1), new PrintWriter(printed, true)));
    }
    List<Row> rows = spark.read().parquet(out + "/registrations").collectAsList();
    Map<String, List<Row>> byPair = rows.stream().collect(Collectors.groupingBy(row -> row.getAs(Registrations.PAIR_ID)));
    StringBuilder report = new StringBuilder();
    List<String> wrong = new ArrayList<>();
    for (Case c : CASES) {
      List<Row> stages = byPair.get(c.id());
      // The row that says why: the failed stage that is not merely "not run" (else the last stage).
      Row row = stages.stream().filter(r -> Registrations.STATUS_FAILED.equals(r.getAs(Registrations.STATUS))
          && !PairRows.NOT_RUN.equals(r.getAs(Registrations.ERROR_CLASS))).findFirst()
          .orElse(stages.get(stages.size() - 1));
      String status = row.getAs(Registrations.STATUS);
      String error = row.getAs(Registrations.ERROR);
      report.append(c.id()).append(": ").append(row.getAs(Registrations.STAGE).toString()).append(" ").append(status)
          .append(" ").append(error).append('\n');
      boolean right = c.good()
          ? stages.stream().allMatch(r -> Registrations.STATUS_OK.equals(r.getAs(Registrations.STATUS)))
          : status.equals(Registrations.STATUS_FAILED) && error.startsWith("pair " + c.id() + ": ")
              && error.contains(c.named()) && error.toLowerCase().contains(c.cause().toLowerCase());
      if (!right) {
        wrong.add(c.id());
      }
    }
    System.out.println(report);
    assertTrue(CASES.size() >= 60, "cases: " + CASES.size());
    assertEquals(List.of(), wrong, report.toString());
    assertEquals(CASES.size(), byPair.size(), "every pair has its rows");

    StringBuilder everything = new StringBuilder().append(log).append('\n').append(printed);
    for (org.warpspark.udfs.table.Table table : org.warpspark.udfs.table.Tables.REGISTRATION_RUN) {
      if (Files.exists(Path.of(out, table.name()))) {
        everything.append(spark.read().parquet(out + "/" + table.name()).collectAsList());
      }
    }
    try (var files = Files.walk(Path.of(out))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        everything.append(file).append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
    }
    assertTrue(everything.indexOf(c("gz_truncated")) >= 0, "the scan sees the tables");
    assertTrue(log.toString().contains("pair gz_truncated"), "the scan sees the log");
    for (String secret : List.of(SECRET, KEY, SECRET.substring(0, 12))) {
      assertTrue(everything.indexOf(secret) < 0, "a secret reached a log, a table or the summary");
    }
    Tripwires.assertNoConnection(listener);
    assertTrue(Files.exists(sentinel), "the sentinel pipe is still there, never opened");
  }

  /** A pair's error prefix, which the tables hold. */
  private static String c(String pairId) {
    return "pair " + pairId + ": ";
  }

  private static String quoted(String value) {
    return value == null ? "" : "\"" + value.replace("\"", "\"\"") + "\"";
  }


  /** Every log event of the run, as text, while open. */
  private static final class LogCapture implements AutoCloseable {
    private final WriterAppender appender;

    private LogCapture(WriterAppender appender) {
      this.appender = appender;
    }

    static LogCapture into(StringWriter sink) {
      LoggerContext context = (LoggerContext) LogManager.getContext(false);
      WriterAppender appender = WriterAppender.newBuilder().setName("hostile-run-capture").setTarget(sink)
          .setLayout(PatternLayout.newBuilder().withPattern("%p %c %m %ex%n").build()).build();
      appender.start();
      context.getConfiguration().getRootLogger().addAppender(appender, org.apache.logging.log4j.Level.ALL, null);
      context.updateLoggers();
      return new LogCapture(appender);
    }

    @Override
    public void close() {
      LoggerContext context = (LoggerContext) LogManager.getContext(false);
      context.getConfiguration().getRootLogger().removeAppender(appender.getName());
      context.updateLoggers();
      appender.stop();
    }
  }
}

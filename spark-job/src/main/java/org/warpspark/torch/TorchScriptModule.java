package org.warpspark.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.warpspark.udfs.WarpsparkException;

/**
 * A TorchScript module compiled by libtorch from our own source text, so that a whole forward pass
 * (PyTorch's fused {@code grid_sampler} and a loss) runs as one native call with its backward in C++
 * instead of dozens of separately dispatched ops. The archive libtorch loads is a stored zip holding
 * {@code code/__torch__.py} (the class source), {@code data.pkl} (a protocol-2 pickle of the module
 * object with its {@code training} flag), {@code constants.pkl} and {@code version}; it is written
 * once per JVM per distinct source.
 */
public final class TorchScriptModule {
  private static final Map<String, Path> ARCHIVES = new ConcurrentHashMap<>();
  private final PtSymbolBlock block;

  private TorchScriptModule(PtSymbolBlock block) {
    this.block = block;
  }

  /**
   * Compiles {@code source}, the body of {@code class <className>(Module)}, into a module owned by
   * {@code manager} (closed with it).
   */
  public static TorchScriptModule load(String className, String source, NDManager manager) {
    String key = className + "\n" + source;
    // A temp-folder cleaner on a long-lived executor may remove the file: write it again if so.
    Path archive = ARCHIVES.compute(key, (k, known) -> known != null && Files.isRegularFile(known) ? known
        : write(className, source));
    try {
      return new TorchScriptModule(
          JniUtils.loadModule((PtNDManager) manager, archive, true, new String[0], new String[0], false));
    } catch (RuntimeException e) {
      throw new WarpsparkException("libtorch cannot load the TorchScript module " + className + " from " + archive
          + ": " + e.getMessage(), e);
    }
  }

  /** Runs {@code forward} in training mode, so autograd records the graph (grad mode must be on). */
  public NDArray forward(NDArray... inputs) {
    return IValueUtils.forward(block, new NDList(inputs), true).singletonOrThrow();
  }

  /** Runs another method of the module; the result belongs to the first input's manager. */
  public NDArray run(String method, NDArray... inputs) {
    IValue[] values = new IValue[inputs.length];
    try {
      for (int i = 0; i < inputs.length; i++) {
        values[i] = IValue.from((PtNDArray) inputs[i]);
      }
      try (IValue result = IValueUtils.runMethod(block, method, values)) {
        return result.toTensor((PtNDManager) inputs[0].getManager());
      }
    } finally {
      for (IValue value : values) {
        if (value != null) {
          value.close();
        }
      }
    }
  }

  private static Path write(String className, String source) {
    String name = "warpspark";
    String code = "class " + className + "(Module):\n"
        + "  __parameters__ = []\n  __buffers__ = []\n  training : bool\n" + source;
    try {
      Path file = Files.createTempFile("warpspark-" + className, ".pt");
      file.toFile().deleteOnExit();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
        stored(zip, name + "/data.pkl", modulePickle(className));
        stored(zip, name + "/code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
        stored(zip, name + "/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
        stored(zip, name + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
      }
      Files.write(file, bytes.toByteArray());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the TorchScript archive of " + className, e);
    }
  }

  /** {@code __torch__.<className>} with state {@code {'training': True}}, pickle protocol 2. */
  private static byte[] modulePickle(String className) {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.write(0x80);
    p.write(2); // PROTO 2
    p.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
    p.write(')'); // EMPTY_TUPLE
    p.write(0x81); // NEWOBJ
    p.write('}'); // EMPTY_DICT
    byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
    p.write('X'); // BINUNICODE, 4-byte little-endian length
    p.write(key.length);
    p.write(0);
    p.write(0);
    p.write(0);
    p.writeBytes(key);
    p.write(0x88); // NEWTRUE
    p.write('s'); // SETITEM
    p.write('b'); // BUILD
    p.write('.'); // STOP
    return p.toByteArray();
  }

  private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setMethod(ZipEntry.STORED); // libtorch maps records in place: they must not be deflated
    entry.setSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    entry.setCrc(crc.getValue());
    zip.putNextEntry(entry);
    zip.write(data);
    zip.closeEntry();
  }
}

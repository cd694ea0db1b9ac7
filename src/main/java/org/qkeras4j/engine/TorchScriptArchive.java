package org.qkeras4j.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipOutputStream;
import org.qkeras4j.util.ZipEntries;

/**
 * Writes a TorchScript module archive (what {@code torch.jit.save} produces) for one class whose
 * methods are given as TorchScript source text. PyTorch compiles the source when it loads the
 * archive, so qkeras4j can have fused operations without Python and without shipping binaries.
 *
 * <p>The archive holds the class source ({@code code/__torch__.py}), the module object ({@code
 * data.pkl}: a pickle of an instance of that class whose attributes are {@code training} and the
 * float32 scalar constants), one storage record per constant ({@code data/0}, {@code data/1},
 * ...), an empty constants table ({@code constants.pkl}) and the format version, under one top
 * directory. Records are stored uncompressed, as PyTorch writes them.
 */
final class TorchScriptArchive {
  /**
   * The archive format version. 6 is past the versions that make PyTorch rewrite old operator
   * semantics on load (integer division before 4), and every PyTorch 2 reads it.
   */
  private static final String FORMAT_VERSION = "6\n";

  private TorchScriptArchive() {}

  /**
   * An archive whose module is an instance of {@code className} (a Python identifier), defined
   * by {@code classBody}: TorchScript lines indented by two spaces, methods included. Each entry
   * of {@code scalars} becomes a module attribute of that name holding a 0-dimensional float32
   * tensor, which the methods read as {@code self.name}.
   */
  static byte[] of(String className, String classBody, Map<String, Float> scalars) {
    StringBuilder source = new StringBuilder("class ").append(className).append("(Module):\n")
        .append("  __parameters__ = []\n")
        .append("  __buffers__ = []\n")
        .append("  training : bool\n");
    scalars.keySet().forEach(name -> source.append("  ").append(name).append(" : Tensor\n"));
    source.append(classBody);

    List<byte[]> storages = new ArrayList<>();
    ModulePickle state = new ModulePickle(className);
    scalars.forEach((name, value) -> {
      state.scalarAttribute(name, String.valueOf(storages.size()));
      storages.add(ByteBuffer.allocate(Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
    });

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      store(zip, "data.pkl", state.finish());
      store(zip, "code/__torch__.py", source.toString().getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < storages.size(); i++) {
        store(zip, "data/" + i, storages.get(i));
      }
      // An empty tuple: the code refers to no tensor constants (the scalars are attributes).
      store(zip, "constants.pkl", new byte[] {ModulePickle.PROTOCOL, 2, ')', '.'});
      store(zip, "version", FORMAT_VERSION.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("writing a TorchScript archive in memory", e);
    }
    return bytes.toByteArray();
  }

  private static void store(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntries.putStored(zip, "archive/" + name, data);
  }

  /**
   * Pickle protocol 2 of {@code __torch__.<className>()} whose state is a dict: {@code training}
   * (true) and the scalar attributes, each a tensor rebuilt as {@code torch.save} writes one.
   */
  private static final class ModulePickle {
    static final byte PROTOCOL = (byte) 0x80;
    private static final int EMPTY_TUPLE = ')';
    private static final int NEWOBJ = 0x81;
    private static final int EMPTY_DICT = '}';
    private static final int MARK = '(';
    private static final int NEWTRUE = 0x88;
    private static final int NEWFALSE = 0x89;
    private static final int BININT1 = 'K';
    private static final int TUPLE = 't';
    private static final int BINPERSID = 'Q';
    private static final int REDUCE = 'R';
    private static final int SETITEMS = 'u';
    private static final int BUILD = 'b';
    private static final int STOP = '.';

    private final ByteArrayOutputStream p = new ByteArrayOutputStream();

    ModulePickle(String className) {
      p.write(PROTOCOL);
      p.write(2);
      global("__torch__", className);
      p.write(EMPTY_TUPLE);
      p.write(NEWOBJ);
      p.write(EMPTY_DICT);
      p.write(MARK);
      string("training");
      p.write(NEWTRUE);
    }

    /**
     * {@code name: _rebuild_tensor_v2(storage, 0, (), (), False, OrderedDict())}, the storage
     * being the persistent id {@code ('storage', FloatStorage, key, 'cpu', 1)}: record {@code
     * data/<key>}.
     */
    void scalarAttribute(String name, String storageKey) {
      string(name);
      global("torch._utils", "_rebuild_tensor_v2");
      p.write(MARK);
      p.write(MARK);
      string("storage");
      global("torch", "FloatStorage");
      string(storageKey);
      string("cpu");
      p.write(BININT1);
      p.write(1);
      p.write(TUPLE);
      p.write(BINPERSID);
      p.write(BININT1);
      p.write(0);
      p.write(EMPTY_TUPLE);
      p.write(EMPTY_TUPLE);
      p.write(NEWFALSE);
      global("collections", "OrderedDict");
      p.write(EMPTY_TUPLE);
      p.write(REDUCE);
      p.write(TUPLE);
      p.write(REDUCE);
    }

    byte[] finish() {
      p.write(SETITEMS);
      p.write(BUILD);
      p.write(STOP);
      return p.toByteArray();
    }

    private void global(String module, String name) {
      p.write('c');
      p.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** BINUNICODE: 'X', the UTF-8 length as 4 little-endian bytes, the bytes. */
    private void string(String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      p.write('X');
      p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(utf8.length).array());
      p.writeBytes(utf8);
    }
  }
}

package org.qkeras4j.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript module archive (what {@code torch.jit.save} produces) for one stateless
 * class whose methods are given as TorchScript source text. PyTorch compiles the source when it
 * loads the archive, so qkeras4j can have fused operations without Python and without shipping
 * binaries.
 *
 * <p>The archive holds four records under one top directory: the class source ({@code
 * code/__torch__.py}), the module object ({@code data.pkl}: a pickle of an instance of that class
 * whose only attribute is {@code training}), an empty constants table ({@code constants.pkl}) and
 * the format version. Records are stored uncompressed, as PyTorch writes them.
 */
final class TorchScriptArchive {
  /**
   * The archive format version. 6 is past the versions that make PyTorch rewrite old operator
   * semantics on load (integer division before 4), and every PyTorch 2 reads it.
   */
  private static final String FORMAT_VERSION = "6\n";

  private static final byte PICKLE_PROTOCOL = (byte) 0x80;

  private TorchScriptArchive() {}

  /**
   * An archive whose module is an instance of {@code className} (a Python identifier), defined
   * by {@code classBody}: TorchScript lines indented by two spaces, methods included.
   */
  static byte[] of(String className, String classBody) {
    String source = "class " + className + "(Module):\n"
        + "  __parameters__ = []\n"
        + "  __buffers__ = []\n"
        + "  training : bool\n"
        + classBody;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      store(zip, "data.pkl", moduleObject(className));
      store(zip, "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
      // An empty tuple: the module has no tensor constants.
      store(zip, "constants.pkl", new byte[] {PICKLE_PROTOCOL, 2, ')', '.'});
      store(zip, "version", FORMAT_VERSION.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("writing a TorchScript archive in memory", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Pickle protocol 2 for {@code __torch__.<className>()} with {@code {"training": True}} as its
   * state: GLOBAL, EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, MARK, the key, NEWTRUE, SETITEMS, BUILD, STOP.
   */
  private static byte[] moduleObject(String className) {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.write(PICKLE_PROTOCOL);
    p.write(2);
    p.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
    p.write(')');
    p.write(0x81);
    p.write('}');
    p.write('(');
    byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
    // BINUNICODE: 'X', then the length as 4 little-endian bytes.
    p.write('X');
    p.write(key.length);
    p.write(0);
    p.write(0);
    p.write(0);
    p.writeBytes(key);
    p.write(0x88);
    p.write('u');
    p.write('b');
    p.write('.');
    return p.toByteArray();
  }

  private static void store(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry entry = new ZipEntry("archive/" + name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(data.length);
    entry.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    entry.setCrc(crc.getValue());
    zip.putNextEntry(entry);
    zip.write(data);
    zip.closeEntry();
  }
}

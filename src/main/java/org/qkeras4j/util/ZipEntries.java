package org.qkeras4j.util;

import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Zip entries as the archives we write need them. */
public final class ZipEntries {
  private ZipEntries() {}

  /**
   * Writes {@code data} as entry {@code name}, uncompressed: Keras's {@code .keras} files and
   * PyTorch's module archives store their records this way (a stored entry must carry its size
   * and CRC before the data).
   */
  public static void putStored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry entry = new ZipEntry(name);
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

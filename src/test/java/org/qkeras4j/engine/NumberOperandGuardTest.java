package org.qkeras4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps DJL's number-operand overloads that autograd keeps alive ({@code mul(Number)} and the
 * others {@link Scalars} replaces) out of the compiled main classes: each one is a possible
 * use-after-free in a backward pass. The classes' constant pools list every method they call.
 */
class NumberOperandGuardTest {
  private static final Set<String> UNSAFE = Set.of("mul", "div", "pow", "maximum", "minimum", "mod");
  private static final Set<String> ARRAY_TYPES = Set.of("ai/djl/ndarray/NDArray", "ai/djl/pytorch/engine/PtNDArray");

  @Test
  void noMainClassCallsANumberOperandOverloadThatAutogradKeeps() throws Exception {
    Path classes = Path.of(Scalars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> offenders = new ArrayList<>();
    int scanned = 0;
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        scanned++;
        for (String call : unsafeCalls(f)) {
          offenders.add(classes.relativize(f) + " calls NDArray." + call + "(Number)");
        }
      }
    }
    assertTrue(scanned > 300, "scanned the main classes (" + scanned + ")");
    assertEquals(List.of(), offenders, "use org.qkeras4j.engine.Scalars instead");
  }

  @Test
  void theScannerFindsTheOverloadInAClassThatUsesIt() throws Exception {
    Path self = Path.of(NumberOperandGuardTest.class.getResource("NumberOperandGuardTest$UsesTheOverload.class").toURI());
    assertEquals(Set.of("mul", "maximum"), unsafeCalls(self));
  }

  /** A class the scanner must flag. */
  static final class UsesTheOverload {
    static ai.djl.ndarray.NDArray twice(ai.djl.ndarray.NDArray x) {
      return x.mul(2).maximum(0f).add(1);
    }
  }

  /** Names of unsafe NDArray methods with a leading Number parameter that the class refers to. */
  static Set<String> unsafeCalls(Path classFile) throws IOException, URISyntaxException {
    try (InputStream in = Files.newInputStream(classFile); DataInputStream d = new DataInputStream(in)) {
      if (d.readInt() != 0xCAFEBABE) {
        throw new IOException(classFile + " is not a class file");
      }
      d.readUnsignedShort();
      d.readUnsignedShort();
      int count = d.readUnsignedShort();
      String[] utf8 = new String[count];
      int[] tag = new int[count];
      int[] a = new int[count];
      int[] b = new int[count];
      for (int i = 1; i < count; i++) {
        tag[i] = d.readUnsignedByte();
        switch (tag[i]) {
          case 1 -> utf8[i] = d.readUTF();
          case 7, 8, 16, 19, 20 -> a[i] = d.readUnsignedShort();
          case 3, 4 -> d.readInt();
          case 5, 6 -> {
            d.readLong();
            i++;
          }
          case 9, 10, 11, 12, 17, 18 -> {
            a[i] = d.readUnsignedShort();
            b[i] = d.readUnsignedShort();
          }
          case 15 -> {
            d.readUnsignedByte();
            d.readUnsignedShort();
          }
          default -> throw new IOException(classFile + ": unknown constant pool tag " + tag[i]);
        }
      }
      Set<String> found = new TreeSet<>();
      for (int i = 1; i < count; i++) {
        if (tag[i] != 10 && tag[i] != 11) {
          continue;
        }
        String owner = utf8[a[a[i]]];
        int nameAndType = b[i];
        String name = utf8[a[nameAndType]];
        String descriptor = utf8[b[nameAndType]];
        if (ARRAY_TYPES.contains(owner) && UNSAFE.contains(name) && descriptor.startsWith("(Ljava/lang/Number;)")) {
          found.add(name);
        }
      }
      return found;
    }
  }
}

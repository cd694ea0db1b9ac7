package org.qkeras4j.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.function.Supplier;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.engine.ScriptedFunction;
import org.qkeras4j.util.Json;

/**
 * Shared checks for the activation-quantizer tests: applying a quantizer to a few numbers, its
 * gradient through DJL's autograd, string and config round trips, and argument errors.
 */
final class ActivationTesting {
  private ActivationTesting() {}

  /** A fresh base manager with the engine started; close it after the test class. */
  static NDManager manager() {
    Engines.get();
    return NDManager.newBaseManager();
  }

  /** {@code q(x)} for float32 {@code x}, in inference or training mode. */
  static float[] apply(NDManager parent, Quantizer q, boolean training, float... x) {
    try (NDManager m = parent.newSubManager()) {
      NDArray out = q.apply(m.create(x), training);
      assertEquals(DataType.FLOAT32, out.getDataType(), q + " keeps the float32 dtype");
      return out.toFloatArray();
    }
  }

  /** {@code q(x)} in inference mode. */
  static float[] apply(NDManager parent, Quantizer q, float... x) {
    return apply(parent, q, false, x);
  }

  /** {@code q(x)} for float64 {@code x}. */
  static double[] apply(NDManager parent, Quantizer q, double... x) {
    try (NDManager m = parent.newSubManager()) {
      NDArray out = q.apply(m.create(x), false);
      assertEquals(DataType.FLOAT64, out.getDataType(), q + " keeps the float64 dtype");
      return out.toDoubleArray();
    }
  }

  /** {@code d sum(q(x)) / dx} through DJL's gradient collector. */
  static float[] gradient(NDManager parent, Quantizer q, boolean training, float... x) {
    try (NDManager m = parent.newSubManager()) {
      NDArray in = m.create(x);
      in.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(q.apply(in, training).sum());
      }
      return in.getGradient().toFloatArray();
    }
  }

  /** Asserts arrays equal within {@code tolerance}, naming the quantizer and the input. */
  static void assertValues(String what, float[] input, float[] expected, float[] actual, double tolerance) {
    assertEquals(expected.length, actual.length, what + ": number of values");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tolerance, what + ": input " + input[i]);
    }
  }

  /** Runs {@code body} with fused functions off (the quantizers' reference operations), restoring the setting after. */
  static <T> T unfused(Supplier<T> body) {
    boolean saved = ScriptedFunction.setEnabled(false);
    try {
      return body.get();
    } finally {
      ScriptedFunction.setEnabled(saved);
    }
  }

  /** Runs {@code body} with the module-level sigmoid set to {@code mode}, restoring it after. */
  static <T> T withSigmoid(InternalSigmoid mode, Supplier<T> body) {
    InternalSigmoid saved = InternalSigmoid.current();
    InternalSigmoid.set(mode);
    try {
      return body.get();
    } finally {
      InternalSigmoid.set(saved);
    }
  }

  /**
   * The quantizer's string parses back to an equal quantizer, and its config rebuilds an equal
   * one both directly and through JSON text.
   */
  static void assertRoundTrips(Quantizer q) throws Exception {
    Quantizer fromString = Quantizers.parse(q.toString());
    assertEquals(q, fromString, "string round trip of " + q);
    assertEquals(q.toString(), fromString.toString());
    assertEquals(q, Quantizers.fromConfig(Quantizers.toConfig(q)), "config round trip of " + q);
    String json = Json.MAPPER.writeValueAsString(Quantizers.toConfig(q));
    Quantizer fromJson = Quantizers.fromConfig(Json.MAPPER.readValue(json, Map.class));
    assertEquals(q, fromJson, "JSON round trip of " + q + " via " + json);
  }

  /** Parsing {@code spec} fails with a message containing every fragment. */
  static void assertRejected(String spec, String... fragments) {
    QuantizerSpecException e = assertThrows(QuantizerSpecException.class, () -> Quantizers.parse(spec));
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "'" + spec + "' error should mention " + f + ": " + e.getMessage());
    }
  }
}

package org.qkeras4j.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.qkeras4j.quant.ActivationTesting.unfused;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.qkeras4j.engine.ScriptedFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fused (TorchScript) paths of {@code quantized_relu} and {@code quantized_bits} against the
 * quantizers' reference operations: the same values and the same gradients, bit for bit, on
 * random inputs and on every boundary (grid points, ties, the clip bound and the float just past
 * it, zeros of both signs, huge values).
 */
class FusedQuantizersTest {
  private static NDManager manager;

  @BeforeAll
  static void start() {
    manager = ActivationTesting.manager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  /** Output values and input gradient (for a random upstream gradient) of one run. */
  private record Run(float[] values, float[] gradient, boolean fused) {}

  private static Run run(Quantizer q, float[] x, float[] upstream, boolean training) {
    long callsBefore = ScriptedFunction.calls();
    try (NDManager m = manager.newSubManager()) {
      NDArray in = m.create(x);
      in.setRequiresGradient(true);
      float[] values;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray out = q.apply(in, training);
        values = out.toFloatArray();
        collector.backward(out.mul(m.create(upstream)).sum());
      }
      return new Run(values, in.getGradient().toFloatArray(), ScriptedFunction.calls() > callsBefore);
    }
  }

  /** Random values over about four times the grid's range, and every boundary of it. */
  private static float[] inputs(double step, double top, long seed, boolean withNan) {
    List<Float> x = new ArrayList<>();
    Random random = new Random(seed);
    for (int i = 0; i < 2000; i++) {
      x.add((float) (random.nextGaussian() * 2 * Math.max(top, step)));
    }
    for (double v = -top - 2 * step; v <= top + 2 * step; v += step / 2) {
      // Grid points and ties between them, and the floats on either side.
      float f = (float) v;
      x.add(f);
      x.add(Math.nextUp(f));
      x.add(Math.nextDown(f));
    }
    for (float special : new float[] {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e30f, -1e30f,
        Float.MAX_VALUE, -Float.MAX_VALUE}) {
      x.add(special);
    }
    if (withNan) {
      x.add(Float.NaN);
    }
    float[] out = new float[x.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = x.get(i);
    }
    return out;
  }

  private static float[] upstream(int n, long seed) {
    Random random = new Random(seed);
    float[] g = new float[n];
    for (int i = 0; i < n; i++) {
      g[i] = (float) random.nextGaussian();
    }
    return g;
  }

  private static void assertSameRuns(String spec, double step, double top, boolean withNan) {
    Quantizer q = Quantizers.parse(spec);
    float[] x = inputs(step, top, spec.hashCode(), withNan);
    float[] g = upstream(x.length, 7);
    for (boolean training : new boolean[] {true, false}) {
      Run fused = run(q, x, g, training);
      Run reference = unfused(() -> run(q, x, g, training));
      assertTrue(fused.fused(), spec + ": the fused path ran");
      assertFalse(reference.fused(), spec + ": the reference path ran");
      for (int i = 0; i < x.length; i++) {
        String where = spec + (training ? " training" : " inference") + ", input " + x[i];
        // Zeros compare equal whatever their sign: the paths clamp in different orders.
        assertEquals(reference.values()[i] + 0f, fused.values()[i] + 0f, 0, where + ": value");
        assertEquals(reference.gradient()[i], fused.gradient()[i], 0, where + ": gradient");
        assertEquals(Float.isNaN(reference.values()[i]), Float.isNaN(fused.values()[i]), where + ": NaN");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"quantized_relu(2,0)", "quantized_relu(4,2)", "quantized_relu(6)",
      "quantized_relu(8,3)", "quantized_relu(3,-1)", "quantized_relu(1)", "quantized_relu(16,5)",
      "quantized_relu(22,4)"})
  void quantizedReluMatchesItsReferenceOperations(String spec) {
    QuantizedRelu q = (QuantizedRelu) Quantizers.parse(spec);
    double step = Math.scalb(1.0, q.integerBits() - q.bits());
    double top = Math.scalb(1.0, q.integerBits()) - step;
    // NaN's gradient differs by design (QKERAS_DIFFERENCES.md), its value does not.
    assertSameRuns(spec, Math.max(step, top / 64), top, false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"quantized_bits(6,0,alpha=1)", "quantized_bits(3,0,1)", "quantized_bits(4,2)",
      "quantized_bits(8,0,0,0)", "quantized_bits(4,0,1,alpha=0.5)", "quantized_bits(5,3,1)",
      "quantized_bits(2,1,0,alpha=3)", "quantized_bits(16,4)", "quantized_bits(24,8)"})
  void quantizedBitsMatchesItsReferenceOperations(String spec) {
    QuantizedBits q = (QuantizedBits) Quantizers.parse(spec);
    double top = Math.max(1.0, Math.scalb(1.0, q.integerBits()));
    double step = Math.scalb(1.0, q.integerBits() - q.bits() + 1);
    assertSameRuns(spec, Math.max(step, top / 64), top, true);
  }

  @ParameterizedTest
  @ValueSource(strings = {"quantized_po2(4)", "quantized_po2(4,1)", "quantized_po2(8)", "quantized_po2(5,4)",
      "quantized_po2(3,0.5)", "quantized_po2(4,log2_rounding='floor')", "quantized_po2(10)"})
  void quantizedPo2MatchesItsReferenceOperations(String spec) {
    QuantizedPo2 q = (QuantizedPo2) Quantizers.parse(spec);
    double top = Math.scalb(1.0, (int) Math.min(q.maxExponent(), 100));
    assertSameRuns(spec, top / 64, top, true);
  }

  @Test
  void quadraticApproximationTakesTheReferencePath() {
    Run run = run(Quantizers.parse("quantized_po2(4,1,quadratic_approximation=True)"), new float[] {0.3f, 2f},
        new float[] {1, 1}, true);
    assertFalse(run.fused());
  }

  @Test
  void stochasticRoundingInTrainingTakesTheReferencePath() {
    float[] x = {0.3f, -0.7f, 1.2f};
    Run run = run(Quantizers.parse("quantized_relu(4,0,use_stochastic_rounding=True)"), x, new float[] {1, 1, 1}, true);
    assertFalse(run.fused());
    assertFalse(run(Quantizers.parse("quantized_bits(4,0,use_stochastic_rounding=True)"), x, new float[] {1, 1, 1}, true).fused());
    assertFalse(run(Quantizers.parse("quantized_po2(4,use_stochastic_rounding=True)"), x, new float[] {1, 1, 1}, true).fused());
    assertTrue(run(Quantizers.parse("quantized_po2(4,use_stochastic_rounding=True)"), x, new float[] {1, 1, 1}, false).fused());
  }

  @Test
  void quantizedReluAbove22BitsTakesTheReferencePath() {
    // 23 bits: the float just past the bound 16 - 2^-19 is a tie between the top code and the next.
    float[] x = {15.999999f, 22.5f, 16f};
    Run run = run(Quantizers.parse("quantized_relu(23,4)"), x, new float[] {1, 1, 1}, true);
    assertFalse(run.fused());
    assertEquals(16 - Math.scalb(1f, -19), run.values()[1]);
  }

  @Test
  void infiniteInputsGetTheClippedCodeInsteadOfNan() {
    Quantizer q = Quantizers.parse("quantized_bits(4,0,1)");
    float[] x = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    Run fused = run(q, x, new float[] {1, 1}, true);
    assertEquals(0.875f, fused.values()[0]);
    assertEquals(-0.875f, fused.values()[1]);
    assertEquals(1f, fused.gradient()[0]);
    Run reference = unfused(() -> run(q, x, new float[] {1, 1}, true));
    assertTrue(Float.isNaN(reference.values()[0]), "x + stop_gradient(q - x) is NaN at infinity");
  }

  @Test
  void roundingOnAGridTakesOnlyPowerOfTwoScalesItCanInvertExactly() {
    assertThrows(IllegalArgumentException.class, () -> Fusion.roundToGrid("q", 3.0, null, null));
    assertThrows(IllegalArgumentException.class, () -> Fusion.roundToGrid("q", 0x1p61, -1.0, 1.0));
    String lines = Fusion.roundToGrid("q", 32.0, -31.0, 31.0);
    assertTrue(lines.contains("alpha=32.0, out=q") && lines.contains("q.clamp_(1.2582881e7, 1.2582943e7)")
        && lines.contains("alpha=0.03125, out=q"), lines);
  }
}

package org.qkeras4j.layers.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.engine.ScriptedFunction;
import org.qkeras4j.layers.Weight;

/**
 * QDense's fused forward pass (kernel and bias quantized and multiplied in one TorchScript call)
 * against the separate reference operations: the same output and the same gradients for the
 * input, the kernel and the bias, bit for bit.
 */
class QDenseFusionTest {

  /** Output, input gradient, then one gradient per weight, and how many fused calls ran. */
  private record Run(List<float[]> arrays, long fusedCalls) {}

  private static Run run(QDense.Builder builder, long[] inputShape, boolean training, long seed) {
    Engines.get();
    QDense layer = builder.build();
    Random random = new Random(seed);
    try (NDManager m = NDManager.newBaseManager()) {
      layer.build(m, new Shape[] {new Shape(inputShape)});
      List<NDArray> values = new ArrayList<>();
      for (Weight w : layer.weights()) {
        values.add(m.create(gaussian(random, (int) w.value().getShape().size(), 0.6), w.value().getShape()));
      }
      layer.setWeights(values);
      NDArray x = m.create(gaussian(random, (int) new Shape(inputShape).size(), 1.5), new Shape(inputShape));
      x.setRequiresGradient(true);
      for (Weight w : layer.weights()) {
        w.value().setRequiresGradient(true);
      }
      long before = ScriptedFunction.calls();
      List<float[]> arrays = new ArrayList<>();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray y = layer.forward(new NDList(x), training).head();
        arrays.add(y.toFloatArray());
        NDArray upstream = m.create(gaussian(random, (int) y.getShape().size(), 1), y.getShape());
        collector.backward(y.mul(upstream).sum());
      }
      long calls = ScriptedFunction.calls() - before;
      arrays.add(x.getGradient().toFloatArray());
      for (Weight w : layer.weights()) {
        arrays.add(w.value().getGradient().toFloatArray());
      }
      return new Run(arrays, calls);
    }
  }

  private static float[] gaussian(Random random, int n, double sd) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * sd);
    }
    return v;
  }

  private static Run unfused(QDense.Builder builder, long[] inputShape, boolean training, long seed) {
    boolean saved = ScriptedFunction.setEnabled(false);
    try {
      return run(builder, inputShape, training, seed);
    } finally {
      ScriptedFunction.setEnabled(saved);
    }
  }

  private static void assertSameRuns(Run expected, Run actual) {
    assertEquals(expected.arrays().size(), actual.arrays().size());
    String[] names = {"output", "input gradient", "kernel gradient", "bias gradient"};
    for (int i = 0; i < expected.arrays().size(); i++) {
      assertArrayEquals(expected.arrays().get(i), actual.arrays().get(i), 0f, names[i]);
    }
  }

  @ParameterizedTest(name = "{0} / {1}, use_bias={2}")
  @CsvSource(delimiter = ';', value = {
      "quantized_bits(6,0,alpha=1); quantized_bits(6,0,alpha=1); true",
      "quantized_bits(4,0,1,alpha=1); quantized_po2(4); true",
      "quantized_bits(8,3,1,alpha=0.5); ; true",
      "; quantized_bits(5,1,alpha=1); true",
      "quantized_bits(6,0,alpha=1); ; false"})
  void oneFusedCallGivesTheReferenceValuesAndGradients(String kernel, String bias, boolean useBias) {
    QDense.Builder builder = new QDense.Builder().units(7).useBias(useBias).kernelQuantizer(kernel).biasQuantizer(bias);
    long[] shape = {33, 12};
    Run reference = unfused(builder, shape, true, 5);
    assertEquals(0, reference.fusedCalls());
    Run fused = run(builder, shape, true, 5);
    assertEquals(1, fused.fusedCalls(), "kernel, bias and product in one call");
    assertSameRuns(reference, fused);
  }

  @Test
  void higherRankInputsMultiplyOnTheLastAxisAsDenseDoes() {
    QDense.Builder builder = new QDense.Builder().units(4).kernelQuantizer("quantized_bits(4,1,alpha=1)")
        .biasQuantizer("quantized_bits(4,1,alpha=1)");
    long[] shape = {3, 5, 6};
    Run fused = run(builder, shape, false, 9);
    assertEquals(1, fused.fusedCalls());
    assertEquals(3 * 5 * 4, fused.arrays().get(0).length);
    assertSameRuns(unfused(builder, shape, false, 9), fused);
  }

  @Test
  void aQuantizerWithoutAFusedFormKeepsTheSeparateCalls() {
    // auto_po2 keeps its scale on the quantizer, so it has no fused body: the bias alone is fused.
    QDense.Builder builder = new QDense.Builder().units(5).kernelQuantizer("quantized_bits(4,0,1,alpha='auto_po2')")
        .biasQuantizer("quantized_po2(4)");
    long[] shape = {8, 6};
    Run run = run(builder, shape, true, 3);
    assertEquals(1, run.fusedCalls(), "only the bias quantizer's own call");
    assertSameRuns(unfused(builder, shape, true, 3), run);
  }

  @Test
  void withoutQuantizersNothingIsFused() {
    Run run = run(new QDense.Builder().units(3), new long[] {4, 2}, true, 1);
    assertEquals(0, run.fusedCalls());
  }
}

package org.qkeras4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.engine.Scalars;
import org.qkeras4j.quant.Quantizer;
import org.qkeras4j.quant.Quantizers;

/**
 * Forward+backward throughput of each quantizer on one large tensor, reported as a ratio to a
 * plain differentiable tensor copy timed in the same run (so machine noise largely cancels).
 */
public final class QuantizerBenchmark {

  /** One quantizer per family, in the forms users train with. */
  public static final List<String> DEFAULT_SPECS = List.of(
      "quantized_bits(4,0,1)",
      "quantized_bits(4,0,1,alpha='auto_po2')",
      "quantized_bits(8,3,1,use_stochastic_rounding=True)",
      "quantized_linear(4,1)",
      "quantized_relu(4,2)",
      "quantized_relu(6,2,use_stochastic_rounding=True)",
      "quantized_ulaw(8,0,1)",
      "quantized_tanh(4)",
      "quantized_sigmoid(4)",
      "quantized_hswish(6,2)",
      "quantized_po2(4)",
      "quantized_relu_po2(4)",
      "binary(alpha='auto_po2')",
      "stochastic_binary(alpha='auto_po2')",
      "ternary(alpha='auto_po2')",
      "stochastic_ternary(alpha='auto_po2')",
      "bernoulli(alpha='auto_po2')",
      "hard_sigmoid",
      "binary_tanh");

  /** One measured row. */
  public record Row(String spec, double millisPerStep, double ratioToCopy, String error) {}

  private QuantizerBenchmark() {}

  /**
   * Times {@code iterations} forward+backward passes per quantizer on a {@code [size/64, 64]}
   * tensor in training mode, after {@code warmup} untimed passes.
   */
  public static List<Row> run(List<String> specs, int size, int warmup, int iterations) {
    Engines.get();
    Engines.seed(1);
    List<Row> rows = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.randomUniform(-2f, 2f, new Shape(Math.max(1, size / 64), 64));
      // x * 1 is the cheapest differentiable copy (duplicate() leaves the autograd graph).
      double copy = time(x, in -> Scalars.mul(in, 1), warmup, iterations);
      List<Row> measured = new ArrayList<>();
      for (String spec : specs) {
        try {
          Quantizer q = Quantizers.parse(spec);
          double t = time(x, in -> q.apply(in, true), warmup, iterations);
          measured.add(new Row(spec, t, 0, null));
        } catch (RuntimeException e) {
          measured.add(new Row(spec, Double.NaN, Double.NaN, e.getMessage()));
        }
      }
      // The baseline is timed before and after the quantizers; the faster of the two is kept so
      // that a warm-up or a noisy neighbour does not flatter the ratios.
      copy = Math.min(copy, time(x, in -> Scalars.mul(in, 1), warmup, iterations));
      rows.add(new Row("(plain copy: x * 1)", copy, 1.0, null));
      for (Row r : measured) {
        rows.add(r.error() == null ? new Row(r.spec(), r.millisPerStep(), r.millisPerStep() / copy, null) : r);
      }
    }
    return rows;
  }

  private static double time(NDArray x, Function<NDArray, NDArray> f, int warmup, int iterations) {
    for (int i = 0; i < warmup; i++) {
      step(x, f);
    }
    long start = System.nanoTime();
    for (int i = 0; i < iterations; i++) {
      step(x, f);
    }
    return (System.nanoTime() - start) / 1e6 / iterations;
  }

  private static void step(NDArray x, Function<NDArray, NDArray> f) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray in = x.duplicate();
      in.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray y = f.apply(in);
        gc.backward(y.sum());
      }
      // Reading one gradient value forces the backward pass to complete before the clock stops.
      in.getGradient().get(0, 0).getFloat();
    }
  }
}

package org.qkeras4j.tools.qstats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.qkeras4j.tools.SimpleNetwork;

class QStatsTest {

  /** input 8x8x3 -> QSeparableConv2D(4, 3x3, depth multiplier 2) -> QDense(2) with a relu kernel. */
  private static SimpleNetwork net(float[] denseKernel) {
    return new SimpleNetwork().input("x", 8, 8, 3)
        .layer("sep", "QSeparableConv2D", "x").out(6, 6, 4)
        .weight("depthwise_kernel", null, 3, 3, 3, 2)
        .weight("pointwise_kernel", null, 1, 1, 6, 4)
        .weight("bias", null, 4)
        .quantizer("depthwise_quantizer", "ternary")
        .quantizer("pointwise_quantizer", "quantized_relu_po2(4)")
        .quantizer("bias_quantizer", "quantized_relu(6, 2)")
        .quantizer("activation", "quantized_relu(4, 0)").done()
        .layer("flat", "Flatten", "sep").out(144).done()
        .layer("dense", "QDense", "flat").out(2)
        .weight("kernel", denseKernel, 144, 2)
        .quantizer("kernel_quantizer", "quantized_relu(4, 0)")
        .config("activation", "relu").done()
        .layer("out", "QDense", "dense").out(1)
        .weight("kernel", new float[] {0.5f, -0.5f}, 2, 1)
        .quantizer("kernel_quantizer", "binary(use_01=1)").done()
        .output("out");
  }

  @Test
  void separableConvolutionCountsDepthwiseAndPointwiseWork() {
    LayerOperations sep = QStats.extract(net(null)).get("sep");
    // Depthwise: 9 taps at 36 positions for 6 channels; pointwise: 36 positions x 4 x 6.
    assertEquals(9 * 36 * 6 + 36 * 4 * 6, sep.operations());
    assertEquals(List.of(54L, 24L), sep.weightCounts());
    assertEquals("smux_2_8", sep.operationName());
    assertEquals(54 * 2 + 24 * 4 + 4 * 6, sep.totalBits());
  }

  @Test
  void aPlainKerasActivationOnAQLayerMakesAFloatOperand() {
    Map<String, LayerOperations> ops = QStats.extract(net(null));
    assertEquals("umult_4_4", ops.get("dense").operationName());
    assertEquals("sfmult_1_32", ops.get("out").operationName());
  }

  @Test
  void aQuantizedRecurrentLayerIsNotReportedButItsActivationTypesTheNextLayersOperand() {
    SimpleNetwork n = new SimpleNetwork().input("x", 5, 1)
        .layer("rnn", "QSimpleRNN", "x").out(8)
        .weight("kernel", null, 1, 8)
        .weight("recurrent_kernel", null, 8, 8)
        .quantizer("kernel_quantizer", "quantized_bits(4,0,1)")
        .quantizer("activation", "quantized_relu(3, 0)").done()
        .layer("dense", "QDense", "rnn").out(1)
        .weight("kernel", null, 8, 1)
        .quantizer("kernel_quantizer", "quantized_bits(4,0,1)").done()
        .output("dense");
    Map<String, LayerOperations> ops = QStats.extract(n);
    assertEquals(List.of("dense"), List.copyOf(ops.keySet()));
    // 4-bit signed weights times the recurrent layer's 3-bit unsigned output.
    assertEquals("smult_4_3", ops.get("dense").operationName());
  }

  @Test
  void reportSortsByNameAndEndsWithSparsity() {
    float[] kernel = new float[288];
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] = i % 4 == 0 ? -0.3f : 0.4f;
    }
    SimpleNetwork n = net(kernel);
    Sparsity sparsity = new Sparsity(0.25, Map.of("dense", 0.25));
    String report = QStats.report(QStats.extract(n), sparsity);
    List<String> lines = report.lines().toList();
    assertEquals("Number of operations in model:", lines.get(1));
    assertEquals("    dense                         : 288   (umult_4_4)", lines.get(2));
    assertEquals("    out                           : 2     (sfmult_1_32)", lines.get(3));
    assertEquals("    sep                           : 2808  (smux_2_8)", lines.get(4));
    assertTrue(lines.contains("    sep_weights_0                  : 54    (2-bit unit)"));
    assertTrue(lines.contains("    sep_weights_1                  : 24    (4-bit unit)"));
    assertTrue(lines.contains("    out_bias                       : 0     (32-bit unit)"));
    assertEquals("    Total Sparsity                 : 0.2500", lines.get(lines.size() - 1));
  }

  @Test
  void sparsityCountsZerosOfTheQuantizedWeights() {
    float[] kernel = new float[288];
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] = i % 4 == 0 ? -0.3f : 0.4f;
    }
    SimpleNetwork n = new SimpleNetwork().input("x", 144)
        .layer("dense", "QDense", "x").out(2)
        .weight("kernel", kernel, 144, 2)
        .quantizer("kernel_quantizer", "quantized_relu(4, 0)").done()
        .output("dense");
    Sparsity s = Sparsity.of(n).orElseThrow();
    // quantized_relu clips the negative quarter to 0.
    assertEquals(0.25, s.perLayer().get("dense"), 1e-12);
    assertEquals(0.25, s.total(), 1e-12);
  }

  @Test
  void sparsityNeedsWeightValues() {
    assertTrue(Sparsity.of(net(null)).isEmpty());
  }

  @Test
  void unsupportedQuantizerFailureNamesTheLayer() {
    SimpleNetwork n = new SimpleNetwork().input("x", 4)
        .layer("d", "QDense", "x").out(2).weight("kernel", null, 4, 2)
        .quantizer("kernel_quantizer", "quantized_hswish(4)").done().output("d");
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> QStats.extract(n));
    assertTrue(e.getMessage().startsWith("layer 'd' (QDense): print_qstats has no operand model for quantizer quantized_hswish"),
        e.getMessage());
  }
}

package org.qkeras4j.tools.qstats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.layers.Names;
import org.qkeras4j.layers.SymbolicTensor;
import org.qkeras4j.layers.conv.QConv2D;
import org.qkeras4j.layers.conv.QConv2DBatchnorm;
import org.qkeras4j.model.Input;
import org.qkeras4j.model.Model;
import org.qkeras4j.tools.graph.ModelView;

/** get_model_sparsity on folded layers: the kernel and bias they apply, folded, then quantized. */
class SparsityTest {

  @BeforeEach
  void setUp() {
    Names.reset();
    Engines.get();
  }

  /**
   * in(1, 1, 2) -> fold: QConv2DBatchnorm(2 filters, 1x1, kernel quantized_bits(2, 0, 1, alpha=1),
   * no bias quantizer) -> conv: QConv2D(1 filter, 1x1, same kernel quantizer, no bias).
   */
  private static Model model() {
    SymbolicTensor x = Input.named("in", 1, 1, 2);
    SymbolicTensor y = new QConv2DBatchnorm.Builder().filters(2).kernelSize(1, 1)
        .kernelQuantizer("quantized_bits(2,0,1,alpha=1)").set("epsilon", 0.0001).name("fold").build().apply(x);
    y = new QConv2D.Builder().filters(1).kernelSize(1, 1).useBias(false).kernelQuantizer("quantized_bits(2,0,1,alpha=1)")
        .name("conv").build().apply(y);
    Model m = Model.of(x, y);
    try (NDManager nd = NDManager.newBaseManager()) {
      // kernel [1, 1, in, out] = [[0.3, -0.2], [0.4, 0.6]], bias (1, 0.5), gamma (0, 1), beta (0.5, 0),
      // iteration -1, moving mean (0, 1), moving variance (0.9999, 3.9999).
      m.setWeights("fold", List.of(nd.create(new float[] {0.3f, -0.2f, 0.4f, 0.6f}, new Shape(1, 1, 2, 2)),
          nd.create(new float[] {1, 0.5f}), nd.create(new float[] {0, 1}), nd.create(new float[] {0.5f, 0}),
          nd.create(-1f), nd.create(new float[] {0, 1}), nd.create(new float[] {0.9999f, 3.9999f})));
      m.setWeights("conv", List.of(nd.create(new float[] {0.8f, -0.1f}, new Shape(1, 1, 2, 1))));
    }
    return m;
  }

  @Test
  void foldedLayerCountsItsFoldedQuantizedKernelAndBias() {
    try (Model m = model()) {
      Sparsity s = Sparsity.of(ModelView.of(m)).orElseThrow();
      // inv = gamma / sqrt(var + eps) = (0, 0.5). Folded kernel = kernel * inv per output channel:
      // [[0, -0.1], [0, 0.3]]; quantized_bits(2, 0, 1, alpha=1) has steps of 0.5, so it becomes
      // [[0, 0], [0, 0.5]]: 3 zeros (the raw kernel has none, the unquantized folded one 2).
      // Folded bias = inv * (bias - mean) + beta = (0.5, -0.25), not quantized: no zeros.
      // 3 zeros of 6 values; the batch-norm parameters themselves are not counted.
      assertEquals(0.5, s.perLayer().get("fold"), 1e-12);
      // conv: quantized (0.8, -0.1) = (0.5, 0): 1 zero of 2.
      assertEquals(0.5, s.perLayer().get("conv"), 1e-12);
      assertEquals(4.0 / 8, s.total(), 1e-12);
    }
  }

  @Test
  void foldedWeightsOfTheViewAreTheFoldedKernelAndBiasUnquantized() {
    try (Model m = model()) {
      var folded = ModelView.of(m).layer("fold").foldedWeights().orElseThrow();
      assertEquals(List.of("kernel", "bias"), folded.stream().map(w -> w.name()).toList());
      float[] k = folded.get(0).values().orElseThrow();
      float[] expected = {0, -0.1f, 0, 0.3f};
      for (int i = 0; i < k.length; i++) {
        assertEquals(expected[i], k[i], 1e-6f);
      }
      float[] b = folded.get(1).values().orElseThrow();
      assertEquals(0.5f, b[0], 1e-6f);
      assertEquals(-0.25f, b[1], 1e-6f);
      assertTrue(ModelView.of(m).layer("conv").foldedWeights().isEmpty());
    }
  }
}

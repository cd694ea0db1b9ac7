package org.qkeras4j.layers.normalization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.layers.LayerConfigException;
import org.qkeras4j.layers.LayerRegistry;
import org.qkeras4j.layers.LayerTesting;

class BatchNormalizationTest {

  @Test
  void inferenceUsesMovingStatisticsGammaAndBeta() {
    // channel c: (x - mean) / sqrt(var + eps) * gamma + beta
    float[] gamma = {2, 0.5f};
    float[] beta = {1, -1};
    float[] mean = {3, 4};
    float[] var = {4, 0.25f};
    float[] x = {5, 4, 1, 5};
    double eps = 1e-3;
    float[] expected = new float[4];
    for (int i = 0; i < 4; i++) {
      int c = i % 2;
      expected[i] = (float) ((x[i] - mean[c]) / Math.sqrt(var[c] + eps) * gamma[c] + beta[c]);
    }
    LayerTesting.check(BatchNormalization.builder().build())
        .input(new long[] {2, 2}, x)
        .weightNames("gamma", "beta", "moving_mean", "moving_variance")
        .weightShapes(new long[] {2}, new long[] {2}, new long[] {2}, new long[] {2})
        .weights(gamma, beta, mean, var)
        .expectOutput(expected, 1e-6)
        .run();
  }

  @Test
  void trainingNormalizesWithBatchStatisticsAndMovesTheAverages() {
    Engines.get();
    try (NDManager m = NDManager.newBaseManager()) {
      BatchNormalization bn = BatchNormalization.builder().momentum(0.9).build();
      bn.build(m, new Shape(-1, 1));
      // batch 1, 2, 3, 4: mean 2.5, biased variance 1.25
      try (NDScope ignored = new NDScope()) {
        NDArray y = bn.forward(new NDList(m.create(new float[] {1, 2, 3, 4}, new Shape(4, 1))), true).head();
        float[] out = y.toFloatArray();
        double sd = Math.sqrt(1.25 + 1e-3);
        LayerTesting.assertClose(new float[] {(float) (-1.5 / sd), (float) (-0.5 / sd), (float) (0.5 / sd),
            (float) (1.5 / sd)}, out, 1e-6, "training output");
      }
      // moving = moving - (moving - batch) * (1 - momentum): 0 -> 0.25, 1 -> 1.025
      LayerTesting.assertClose(new float[] {0.25f}, bn.movingMean().value().toFloatArray(), 1e-6, "moving mean");
      LayerTesting.assertClose(new float[] {1.025f}, bn.movingVariance().value().toFloatArray(), 1e-6,
          "moving variance");
      assertEquals(2, bn.trainableWeights().size());
      assertEquals(List.of("moving_mean", "moving_variance"),
          bn.nonTrainableWeights().stream().map(w -> w.name()).toList());
    }
  }

  @Test
  void convolutionalInputReducesOverBatchRowsAndColumns() {
    Engines.get();
    try (NDManager m = NDManager.newBaseManager()) {
      BatchNormalization bn = BatchNormalization.builder().momentum(0).build();
      bn.build(m, new Shape(-1, 2, 2, 2));
      // channel 0 holds 1, 3, 5, 7 (mean 4, var 5); channel 1 holds 2, 4, 6, 8 (mean 5, var 5)
      try (NDScope ignored = new NDScope()) {
        bn.forward(new NDList(m.create(LayerTesting.range(8), new Shape(1, 2, 2, 2))), true);
      }
      LayerTesting.assertClose(new float[] {4, 5}, bn.movingMean().value().toFloatArray(), 1e-6, "mean");
      LayerTesting.assertClose(new float[] {5, 5}, bn.movingVariance().value().toFloatArray(), 1e-6, "variance");
    }
  }

  @Test
  void withoutScaleAndCenterOnlyMovingStatisticsRemain() {
    LayerTesting.check(BatchNormalization.builder().scale(false).center(false).build())
        .input(new long[] {1, 3}, new float[] {1, 2, 3})
        .weightNames("moving_mean", "moving_variance")
        .weights(new float[] {1, 1, 1}, new float[] {1, 1, 1})
        .expectOutput(new float[] {0, (float) (1 / Math.sqrt(1.001)), (float) (2 / Math.sqrt(1.001))}, 1e-6)
        .run();
  }

  @Test
  void axisOneNormalizesChannelsFirstData() {
    // (batch, channels=2, steps=2) with axis 1: channel c uses gamma[c].
    LayerTesting.check(BatchNormalization.builder().axis(1).epsilon(1e-3).build())
        .input(new long[] {1, 2, 2}, new float[] {1, 1, 1, 1})
        .weightShapes(new long[] {2}, new long[] {2}, new long[] {2}, new long[] {2})
        .weights(new float[] {1, 2}, new float[] {0, 0}, new float[] {0, 0}, new float[] {1, 1})
        .expectOutput(new float[] {(float) (1 / Math.sqrt(1.001)), (float) (1 / Math.sqrt(1.001)),
            (float) (2 / Math.sqrt(1.001)), (float) (2 / Math.sqrt(1.001))}, 1e-6)
        .run();
  }

  @Test
  void builtConfigWritesTheAxisAsKerasDoes() {
    Engines.get();
    try (NDManager m = NDManager.newBaseManager()) {
      BatchNormalization bn = BatchNormalization.builder().build();
      assertEquals(-1, bn.getConfig().get("axis"));
      bn.build(m, new Shape(-1, 4, 4, 3));
      assertEquals(List.of(3), bn.getConfig().get("axis"));
      assertEquals(0.99, bn.getConfig().get("momentum"));
      assertEquals(0.001, bn.getConfig().get("epsilon"));
    }
  }

  @Test
  void unsupportedOptionsFailNamingThem() {
    LayerConfigException e = assertThrows(LayerConfigException.class,
        () -> LayerRegistry.create("BatchNormalization", Map.of("virtual_batch_size", 8)));
    assertTrue(e.getMessage().contains("'virtual_batch_size' is not supported"), e.getMessage());
    // tf.keras writes 'fused'; it changes nothing here
    LayerRegistry.create("BatchNormalization", Map.of("fused", true));
  }
}

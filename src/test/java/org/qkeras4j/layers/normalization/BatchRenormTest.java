package org.qkeras4j.layers.normalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.layers.LayerConfigException;
import org.qkeras4j.layers.LayerRegistry;
import org.qkeras4j.layers.Names;
import org.qkeras4j.layers.Weight;

/** BatchNormalization(renorm=True), Keras 2's batch renormalization, against values worked by hand. */
class BatchRenormTest {
  // One channel, x = [1, 3]: batch mean 2, biased variance 1, stddev s = sqrt(1 + epsilon).
  private static final float[] X = {1f, 3f};
  private static final double EPS = 1e-3;
  private static final double S = Math.sqrt(1 + EPS);

  @BeforeEach
  void setUp() {
    Names.reset();
    Engines.get();
  }

  private static BatchNormalization renorm(Map<String, Object> clipping) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("momentum", 0.5);
    c.put("renorm", true);
    c.put("renorm_momentum", 0.9);
    c.put("renorm_clipping", clipping);
    return (BatchNormalization) LayerRegistry.create("BatchNormalization", c);
  }

  private static float[] run(BatchNormalization bn, NDManager m, boolean training) {
    try (NDScope ignored = new NDScope()) {
      NDArray x = m.create(X, new Shape(2, 1));
      return bn.forward(new NDList(x), training).head().toFloatArray();
    }
  }

  private static float value(BatchNormalization bn, String weight) {
    return bn.weight(weight).value().toFloatArray()[0];
  }

  @Test
  void unclippedCorrectionsNormalizeWithTheRenormAveragesThenTheAveragesMove() {
    try (NDManager m = NDManager.newBaseManager()) {
      BatchNormalization bn = renorm(null);
      bn.build(m, new Shape(-1, 1));
      assertEquals(List.of("gamma", "beta", "moving_mean", "moving_variance", "moving_stddev", "renorm_mean",
          "renorm_stddev"), bn.weights().stream().map(Weight::name).toList());
      assertEquals(2, bn.trainableWeights().size());
      // r = s / 1, d = (2 - 0) / 1: y = x_hat * s + 2 = (x - renorm_mean) / renorm_stddev = x.
      assertArrayEquals(X, run(bn, m, true), 1e-6f);
      assertEquals(0.2f, value(bn, "renorm_mean"), 1e-6f, "0 - (0 - 2) * (1 - 0.9)");
      assertEquals((float) (0.9 + 0.1 * S), value(bn, "renorm_stddev"), 1e-6f);
      assertEquals(1f, value(bn, "moving_mean"), 1e-6f, "momentum 0.5 toward 2");
      double movingStddev = 0.5 + 0.5 * S;
      assertEquals((float) movingStddev, value(bn, "moving_stddev"), 1e-6f);
      assertEquals((float) (movingStddev * movingStddev - EPS), value(bn, "moving_variance"), 1e-6f);

      // Second step: the corrections use the averages after the first one.
      double renormStddev = 0.9 + 0.1 * S;
      float[] second = run(bn, m, true);
      assertEquals((float) ((1 - 0.2) / renormStddev), second[0], 1e-5f);
      assertEquals((float) ((3 - 0.2) / renormStddev), second[1], 1e-5f);

      // Inference: the moving mean and variance, as without renorm.
      double mean = 1.5; // 1 moved halfway toward 2
      double ms = 0.5 * movingStddev + 0.5 * S;
      float[] inference = run(bn, m, false);
      assertEquals((float) ((1 - mean) / Math.sqrt(ms * ms - EPS + EPS)), inference[0], 1e-5f);
    }
  }

  @Test
  void clippingBoundsTheCorrections() {
    try (NDManager m = NDManager.newBaseManager()) {
      BatchNormalization bn = renorm(Map.of("rmax", 1.0, "dmax", 0.5));
      bn.build(m, new Shape(-1, 1));
      // r = s clipped to 1, d = 2 clipped to 0.5: y = x_hat + 0.5.
      float[] y = run(bn, m, true);
      assertEquals((float) (0.5 - 1 / S), y[0], 1e-6f);
      assertEquals((float) (0.5 + 1 / S), y[1], 1e-6f);
    }
  }

  @Test
  void configWritesTheRenormArgumentsOnlyWhenOnAndRoundTrips() {
    BatchNormalization bn = renorm(Map.of("rmax", 3.0));
    Map<String, Object> c = bn.getConfig();
    assertEquals(true, c.get("renorm"));
    assertEquals(Map.of("rmax", 3.0), c.get("renorm_clipping"));
    assertEquals(0.9, c.get("renorm_momentum"));
    BatchNormalization again = (BatchNormalization) LayerRegistry.create("BatchNormalization", c);
    assertTrue(again.renorm());
    assertEquals(c, again.getConfig());
    assertTrue(!((BatchNormalization) LayerRegistry.create("BatchNormalization", Map.of())).getConfig()
        .containsKey("renorm"));
  }

  @Test
  void badClippingKeysAndQBatchNormalizationRenormAreRefused() {
    LayerConfigException key = assertThrows(LayerConfigException.class,
        () -> renorm(Map.of("rmax", 3.0, "r_max", 1.0)));
    assertTrue(key.getMessage().contains("contains key 'r_max'"), key.getMessage());
    LayerConfigException order = assertThrows(LayerConfigException.class,
        () -> renorm(Map.of("rmax", 0.5, "rmin", 2.0)));
    assertTrue(order.getMessage().contains("rmin 2.0 > rmax 0.5"), order.getMessage());
    LayerConfigException q = assertThrows(LayerConfigException.class,
        () -> LayerRegistry.create("QBatchNormalization", Map.of("renorm", true)));
    assertTrue(q.getMessage().contains("renorm"), q.getMessage());
  }
}

package org.qkeras4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.qkeras4j.data.Dataset;
import org.qkeras4j.data.HostTensor;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.layers.LayerRegistry;
import org.qkeras4j.layers.Names;
import org.qkeras4j.layers.conv.Conv2D;
import org.qkeras4j.train.FitOptions;
import org.qkeras4j.train.History;
import org.qkeras4j.train.SGD;

/**
 * Keras 2's activity_regularizer: regularizer(output) divided by the batch size, added to the loss
 * in fit (and its gradient) and in evaluate.
 */
class ActivityRegularizerTest {
  // One feature, one unit, no bias: out = w x with w = 2; x = [1, 3] gives out = [2, 6].
  private static final String MODEL = """
      {"class_name": "Sequential", "config": {"name": "act_reg", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 1], "name": "in"}},
        {"class_name": "Dense", "config": {"name": "fc", "units": 1, "use_bias": false,
          "activity_regularizer": {"class_name": "L2", "config": {"l2": 0.1}}}}]}}
      """;

  @BeforeEach
  void setUp() {
    Names.reset();
    Engines.get();
  }

  private static Model model() {
    Model m = Model.fromJson(MODEL);
    try (NDManager tmp = NDManager.newBaseManager()) {
      m.setWeights("fc", List.of(tmp.create(new float[] {2f}, new Shape(1, 1))));
    }
    return m;
  }

  private static Dataset data() {
    // Targets 1 and 5: errors 1 and 1, so the mean squared error is 1.
    return new Dataset(new HostTensor(new float[] {1f, 3f}, 2, 1), new HostTensor(new float[] {1f, 5f}, 2, 1));
  }

  @Test
  void evaluateAddsThePenaltyOfTheOutputsDividedByTheBatchSize() {
    try (Model m = model()) {
      m.compile(new SGD(0.01), "mse");
      // mse 1 + 0.1 * (2^2 + 6^2) / 2 = 1 + 2
      assertEquals(3.0, m.evaluate(data(), 2, 0).get("loss"), 1e-6);
      // Batches of one: (1 + 0.1 * 4) and (1 + 0.1 * 36), averaged: 1 + 2 again.
      assertEquals(3.0, m.evaluate(data(), 1, 0).get("loss"), 1e-6);
    }
  }

  @Test
  void fitFollowsTheGradientOfThePenaltyToo() {
    try (Model m = model()) {
      m.compile(new SGD(0.01), "mse");
      History h = m.fit(data(), FitOptions.builder().optBatchSize(2).optShuffle(false).optVerbose(0).build());
      assertEquals(3.0, h.get("loss").get(0), 1e-6);
      // d/dw: mse 2/2 * (1 * 1 + 1 * 3) = 4; penalty 0.1 * 2 * (2 * 1 + 6 * 3) / 2 = 2; w = 2 - 0.01 * 6.
      assertEquals(1.94f, m.getLayer("fc").weight("kernel").value().toFloatArray()[0], 1e-6f);
    }
  }

  @Test
  void theArgumentIsWrittenBackInTheKerasConfig() {
    try (Model m = model()) {
      Object written = m.getLayer("fc").getConfig().get("activity_regularizer");
      assertEquals(Map.of("class_name", "L2", "config", Map.of("l2", 0.1)), written);
      try (Model again = Model.fromJson(m.toJson())) {
        assertEquals(written, again.getLayer("fc").getConfig().get("activity_regularizer"));
      }
    }
  }

  @Test
  void convolutionsAcceptItAsWell() {
    Conv2D conv = (Conv2D) LayerRegistry.create("Conv2D", Map.of("filters", 2, "kernel_size", 1,
        "activity_regularizer", Map.of("class_name", "L1", "config", Map.of("l1", 0.5))));
    assertTrue(conv.activityRegularizer() != null);
    assertEquals("L1", ((Map<?, ?>) conv.getConfig().get("activity_regularizer")).get("class_name"));
  }
}

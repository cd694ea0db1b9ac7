package org.qkeras4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.qkeras4j.data.Dataset;
import org.qkeras4j.data.HostTensor;
import org.qkeras4j.engine.Engines;

/**
 * Keras's {@code sample_weight}: each sample's loss times its weight, summed and divided by the
 * number of samples in the batch (sum_over_batch_size), not by the sum of the weights; combined
 * with {@code class_weight} by multiplication in fit.
 */
class SampleWeightTest {
  // y = 0.5 x + 0.1 against these targets gives errors -1.4, -1.9, -0.4, 0.6.
  private static final float[] X = {1f, 2f, -1f, 3f};
  private static final float[] T = {2f, 3f, 0f, 1f};
  private static final float[] W = {1f, 2f, 0f, 0.5f};
  private NDManager params;

  @BeforeEach
  void open() {
    Engines.get();
    params = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    params.close();
  }

  private TestModels.Dense line() {
    return new TestModels.Dense(params, new float[] {0.5f}, new float[] {0.1f}, 1, 1, "linear");
  }

  private static Dataset data(float[] targets) {
    return new Dataset(new HostTensor(X, 4, 1), new HostTensor(targets, 4, 1));
  }

  @Test
  void evaluateWeightsEachSquaredErrorAndDividesByTheBatchSize() {
    try (Trainer trainer = Trainer.compile(line(), "sgd", "mse")) {
      // (1 * 1.96 + 2 * 3.61 + 0 * 0.16 + 0.5 * 0.36) / 4 = 9.36 / 4
      double loss = trainer.evaluate(data(T).withSampleWeight(W), 4, 0).get("loss");
      assertEquals(2.34, loss, 1e-6);
      // Batches of 3 and 1: 9.18 / 3 and 0.18 / 1, averaged by batch size: (9.18 + 0.18) / 4 again.
      assertEquals(2.34, trainer.evaluate(data(T).withSampleWeight(W), 3, 0).get("loss"), 1e-6);
      // Not the weighted mean 9.36 / 3.5 that dividing by the sum of the weights would give.
      // Without weights: the plain mean of the squared errors.
      assertEquals((1.96 + 3.61 + 0.16 + 0.36) / 4, trainer.evaluate(data(T), 4, 0).get("loss"), 1e-6);
    }
  }

  @Test
  void fitCombinesSampleAndClassWeightsByMultiplicationInTheLossAndTheGradient() {
    float[] labels = {1f, 0f, 1f, 0f};
    double[] classWeight = {3.0, 0.5};
    double w = 0.5;
    double b = 0.1;
    double lr = 0.1;
    double loss = 0;
    double gw = 0;
    double gb = 0;
    for (int i = 0; i < 4; i++) {
      double err = w * X[i] + b - labels[i];
      double weight = W[i] * classWeight[(int) labels[i]];
      loss += weight * err * err / 4;
      gw += weight * 2 * err * X[i] / 4;
      gb += weight * 2 * err / 4;
    }
    TestModels.Dense model = line();
    try (Trainer trainer = Trainer.compile(model, new SGD(lr), "mse")) {
      History h = trainer.fit(data(labels).withSampleWeight(W), FitOptions.builder().optBatchSize(4).optVerbose(0)
          .optClassWeight(Map.of(0, 3.0, 1, 0.5)).build());
      assertEquals(loss, h.get("loss").get(0), 1e-6, "the loss of the one batch, before its update");
      assertEquals(w - lr * gw, model.kernel.value().toFloatArray()[0], 1e-6);
      assertEquals(b - lr * gb, model.bias.value().toFloatArray()[0], 1e-6);
    }
  }

  @Test
  void sampleWeightsTravelWithTheirSamplesThroughShuffling() {
    // Every x is 1; half the targets are 5 with weight 1, half are -5 with weight 0. Only if the
    // weights stay with their samples does the model learn to answer 5.
    int n = 64;
    float[] x = new float[n];
    float[] t = new float[n];
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = 1f;
      t[i] = i % 2 == 0 ? 5f : -5f;
      w[i] = i % 2 == 0 ? 1f : 0f;
    }
    TestModels.Dense model = line();
    try (Trainer trainer = Trainer.compile(model, new SGD(0.05), "mse")) {
      Dataset d = new Dataset(new HostTensor(x, n, 1), new HostTensor(t, n, 1)).withSampleWeight(w);
      trainer.fit(d, FitOptions.builder().optEpochs(20).optBatchSize(5).optSeed(4).optVerbose(0).build());
      float prediction = trainer.predict(new HostTensor(new float[] {1f}, 1, 1)).data()[0];
      assertEquals(5f, prediction, 1e-3f);
      assertEquals(0.0, trainer.evaluate(d, 8, 0).get("loss"), 1e-6);
    }
  }

  @Test
  void validationSplitTakesTheLastSamplesWeightsAlong() {
    Dataset d = data(T).withSampleWeight(W);
    Dataset[] parts = d.splitLast(0.25);
    assertEquals(3, parts[0].sampleWeight().rows());
    assertEquals(0.5f, parts[1].sampleWeight().data()[0]);
  }

  @Test
  void badSampleWeightsAreRefusedNamingTheProblem() {
    IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
        () -> data(T).withSampleWeight(1f, 2f));
    assertTrue(count.getMessage().contains("x has 4 samples but sample_weight has shape [2]"), count.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> data(T).withSampleWeight(1f, -2f, 1f, 1f));
    assertTrue(negative.getMessage().contains("sample_weight[1] is -2.0"), negative.getMessage());
    assertEquals(4, data(T).withSampleWeight(new HostTensor(W, 4, 1)).sampleWeight().rows(), "[n, 1] accepted");
  }
}

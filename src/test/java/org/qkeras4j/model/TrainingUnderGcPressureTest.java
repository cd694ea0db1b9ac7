package org.qkeras4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.qkeras4j.data.Dataset;
import org.qkeras4j.data.SyntheticData;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.layers.Names;
import org.qkeras4j.train.FitOptions;

/**
 * The end-to-end check of {@code engine.Scalars}: with the garbage collector running all the time
 * (as it does, less often, in a long training run), seeded training stays finite and repeatable.
 * Before constants were kept valid for autograd, the first of these runs went NaN.
 */
class TrainingUnderGcPressureTest {
  private static List<Double> trainOnce(Dataset data) {
    Names.reset();
    Engines.seed(7);
    try (Model model = ModelTrainingTest.mlpWithBatchNorm()) {
      model.compile("adam", "sparse_categorical_crossentropy", "accuracy")
          .setOutput(new PrintStream(new ByteArrayOutputStream()));
      return model.fit(data, FitOptions.builder().optEpochs(8).optBatchSize(16).optSeed(3).optVerbose(0).build())
          .get("loss");
    }
  }

  @Test
  void seededBatchNormMlpTrainsToTheSameFiniteLossesWhileTheCollectorRuns() throws InterruptedException {
    Engines.get();
    Dataset data = SyntheticData.threeClasses(256, 1);
    Thread collector = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        System.gc();
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "gc-pressure");
    collector.setDaemon(true);
    collector.start();
    List<List<Double>> runs = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        runs.add(trainOnce(data));
      }
    } finally {
      collector.interrupt();
      collector.join();
    }
    for (List<Double> losses : runs) {
      assertTrue(losses.stream().allMatch(Double::isFinite), "finite losses: " + runs);
    }
    assertTrue(runs.get(0).get(7) < 0.5 * runs.get(0).get(0), "the loss falls: " + runs.get(0));
    assertEquals(runs.get(0), runs.get(1), "same seed, same losses");
    assertEquals(runs.get(0), runs.get(2), "same seed, same losses");
  }
}

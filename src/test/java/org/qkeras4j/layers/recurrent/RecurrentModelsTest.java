package org.qkeras4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.keras.KerasExport;
import org.qkeras4j.keras.KerasModels;
import org.qkeras4j.keras.ModelLoader;
import org.qkeras4j.layers.LayerRegistry;
import org.qkeras4j.layers.LayerTesting;
import org.qkeras4j.layers.core.Dense;
import org.qkeras4j.model.Model;
import org.qkeras4j.data.HostTensor;
import org.qkeras4j.train.FitOptions;
import org.qkeras4j.train.History;

/** Recurrent layers inside models: summary, saving, Keras files, training. */
class RecurrentModelsTest {
  @BeforeAll
  static void engine() {
    Engines.get();
  }

  /** Bidirectional(QLSTM) returning sequences, then SimpleRNN, then Dense: every recurrent kind. */
  static Model stack() {
    return Model.sequential(new long[] {6, 2},
        LayerRegistry.create("QBidirectional", Map.of("name", "bi", "layer", Map.of("class_name", "QLSTM",
            "config", Map.of("name", "qlstm", "units", 3, "return_sequences", true,
                "kernel_quantizer", "quantized_bits(6,0,1)", "recurrent_quantizer", "quantized_bits(6,0,1)",
                "activation", "tanh")))),
        LayerRegistry.create("GRU", Map.of("name", "gru", "units", 4)),
        Dense.builder().units(1).name("out").build());
  }

  static float[] sample(int rows) {
    return LayerTesting.random(rows * 6 * 2, 3);
  }

  @Test
  void summaryShowsKerasParameterCountsForTheNotebookModel() {
    try (Model m = Model.sequential(new long[] {5, 1},
        LayerRegistry.create("SimpleRNN", Map.of("units", 8, "activation", "relu", "name", "SimpleRNN")),
        Dense.builder().units(1).activation("relu").name("dense").build())) {
      List<String> lines = new ArrayList<>();
      m.summary(lines::add);
      String text = String.join("\n", lines);
      assertTrue(text.contains("\nSimpleRNN (SimpleRNN)        (None, 8)                 80        \n"), text);
      assertTrue(text.contains("\nTotal params: 89\n"), text);
    }
  }

  @Test
  void qkeras4jModelFileRoundTripKeepsConfigAndPredictions(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("rnn.qk4j");
    try (Model m = stack()) {
      float[] before = m.predict(sample(3), new long[] {6, 2}, 3);
      m.save(file);
      try (Model back = Model.load(file)) {
        assertEquals(LayerTesting.plainJson(m.getConfig()), LayerTesting.plainJson(back.getConfig()));
        assertArrayEquals(before, back.predict(sample(3), new long[] {6, 2}, 3));
      }
    }
  }

  @Test
  void kerasFilesRoundTripThroughTheLoader(@TempDir Path dir) throws Exception {
    try (Model m = stack()) {
      float[] before = m.predict(sample(3), new long[] {6, 2}, 3);
      Path h5 = dir.resolve("rnn.h5");
      Path json = dir.resolve("rnn.json");
      Path weights = dir.resolve("rnn.weights.h5");
      KerasExport.writeFullModelHdf5(KerasModels.configOf(m), KerasModels.weightsOf(m), h5);
      KerasExport.writeJsonAndWeights(KerasModels.configOf(m), KerasModels.weightsOf(m), json, weights);
      for (Path[] files : new Path[][] {{h5, null}, {json, weights}}) {
        try (ModelLoader.Loaded loaded = ModelLoader.load(files[0], files[1])) {
          assertEquals(List.of("bi", "gru", "out"), loaded.model().layers().stream().map(l -> l.name()).toList());
          assertArrayEquals(before, loaded.model().predict(sample(3), new long[] {6, 2}, 3), files[0].toString());
        }
      }
    }
  }

  @Test
  void fitLowersTheLossThroughTheTimeLoop() {
    // The initial weights come from the engine's generator: seed it, or the result depends on
    // which tests ran before in this JVM.
    Engines.seed(1);
    try (Model m = stack()) {
      int rows = 32;
      float[] x = sample(rows);
      float[] y = new float[rows];
      for (int r = 0; r < rows; r++) {
        y[r] = x[r * 12] + x[r * 12 + 11]; // first and last step matter
      }
      m.compile("adam", "mse");
      History h = m.fit(new HostTensor(x, rows, 6, 2), new HostTensor(y, rows, 1),
          FitOptions.builder().optEpochs(8).optBatchSize(8).optVerbose(0).optSeed(1).build());
      List<Double> loss = h.get("loss");
      for (int i = 1; i < loss.size(); i++) {
        assertTrue(loss.get(i) < loss.get(i - 1), "loss falls every epoch: " + loss);
      }
      assertTrue(loss.get(loss.size() - 1) < 0.95 * loss.get(0), "loss " + loss);
    }
  }
}

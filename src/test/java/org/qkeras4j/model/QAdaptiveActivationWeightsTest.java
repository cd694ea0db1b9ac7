package org.qkeras4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qkeras4j.data.HostTensor;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.keras.KerasExport;
import org.qkeras4j.keras.KerasModels;
import org.qkeras4j.keras.LayerWeights;
import org.qkeras4j.keras.ModelLoader;
import org.qkeras4j.layers.Names;
import org.qkeras4j.layers.Weight;
import org.qkeras4j.layers.core.Dense;
import org.qkeras4j.layers.core.QAdaptiveActivation;

/** QAdaptiveActivation's moving averages as QKeras's non-trainable weights ema_min / ema_max. */
class QAdaptiveActivationWeightsTest {
  @TempDir Path dir;

  private static final float[] X = {-1.3f, 0.26f, 3.1f, 0.7f, -2.2f, 1.9f};

  @BeforeEach
  void setUp() {
    Names.reset();
    Engines.get();
  }

  /** Dense(3, ones-like kernel) then a per-channel 4-bit adaptive activation, averages moved twice. */
  private static Model trainedALittle() {
    Model model = Model.sequential(new long[] {2},
        Dense.builder().units(3).name("fc").kernelInitializer("ones").build(),
        new QAdaptiveActivation.Builder().name("qa").activation("quantized_bits").totalBits(4).perChannel(true)
            .emaDecay(0.5).quantizationDelay(1).build());
    try (NDManager m = NDManager.newBaseManager(); NDScope ignored = new NDScope()) {
      NDArray x = m.create(X, new Shape(3, 2));
      model.forward(new NDList(x), true);
      model.forward(new NDList(x.mul(-0.5f)), true);
    }
    return model;
  }

  private static QAdaptiveActivation qa(Model m) {
    return (QAdaptiveActivation) m.getLayer("qa");
  }

  private static HostTensor input() {
    return new HostTensor(X, 3, 2);
  }

  @Test
  void movingAveragesAreNonTrainableWeightsNamedAsInQKeras() {
    try (Model model = trainedALittle()) {
      List<Weight> ws = qa(model).weights();
      assertEquals(List.of("ema_min", "ema_max"), ws.stream().map(Weight::name).toList());
      assertFalse(ws.get(0).trainable() || ws.get(1).trainable());
      assertTrue(qa(model).trainableWeights().isEmpty());
      float[][] ema = qa(model).movingAverages();
      assertArrayEquals(ema[0], ws.get(0).value().toFloatArray());
      assertArrayEquals(ema[1], ws.get(1).value().toFloatArray());
      assertTrue(ema[1][0] > 0 && ema[0][0] < 0, "the averages moved: " + ema[0][0] + ", " + ema[1][0]);

      List<String> lines = new ArrayList<>();
      model.summary(lines::add);
      // fc: 2 * 3 + 3 trainable; qa: 3 + 3 non-trainable.
      assertTrue(lines.contains("Total params: 15"), String.join("\n", lines));
      assertTrue(lines.contains("Trainable params: 9"), String.join("\n", lines));
      assertTrue(lines.contains("Non-trainable params: 6"), String.join("\n", lines));
    }
  }

  @Test
  void saveAndLoadKeepTheAveragesAndSoTheIntegerBitsAndOutputs() throws IOException {
    Path file = dir.resolve("qa.qk4j");
    try (Model model = trainedALittle()) {
      float[][] ema = qa(model).movingAverages();
      float[] out = model.predict(input(), 3).data();
      int[] bits = qa(model).integerBitsNow();
      model.save(file);
      try (Model loaded = Model.load(file)) {
        assertArrayEquals(ema[0], qa(loaded).movingAverages()[0]);
        assertArrayEquals(ema[1], qa(loaded).movingAverages()[1]);
        assertArrayEquals(out, loaded.predict(input(), 3).data());
        assertArrayEquals(bits, qa(loaded).integerBitsNow());
      }
    }
  }

  @Test
  void kerasExportAndImportRoundTripTheAverages() throws IOException {
    Path h5 = dir.resolve("qa.h5");
    try (Model model = trainedALittle()) {
      float[][] ema = qa(model).movingAverages();
      float[] out = model.predict(input(), 3).data();
      KerasExport.writeFullModelHdf5(KerasModels.configOf(model), KerasModels.weightsOf(model), h5);
      try (ModelLoader.Loaded loaded = ModelLoader.load(h5, null)) {
        assertArrayEquals(ema[0], qa(loaded.model()).movingAverages()[0]);
        assertArrayEquals(ema[1], qa(loaded.model()).movingAverages()[1]);
        assertArrayEquals(out, loaded.model().predict(input(), 3).data());
      }
    }
  }

  @Test
  void aKerasFileWithoutTheAveragesLoadsWithZeroAverages() throws IOException {
    Path h5 = dir.resolve("old.h5");
    try (Model model = trainedALittle()) {
      List<LayerWeights> withoutQa = KerasModels.weightsOf(model).stream()
          .map(lw -> lw.layerName().equals("qa") ? new LayerWeights("qa", lw.group(), List.of()) : lw).toList();
      KerasExport.writeFullModelHdf5(KerasModels.configOf(model), withoutQa, h5);
      try (ModelLoader.Loaded loaded = ModelLoader.load(h5, null)) {
        assertArrayEquals(new float[3], qa(loaded.model()).movingAverages()[0]);
        assertArrayEquals(new float[3], qa(loaded.model()).movingAverages()[1]);
        assertArrayEquals(model.getLayer("fc").weight("kernel").value().toFloatArray(),
            loaded.model().getLayer("fc").weight("kernel").value().toFloatArray());
      }
    }
  }
}

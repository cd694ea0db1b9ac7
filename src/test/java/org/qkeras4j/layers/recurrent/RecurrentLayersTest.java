package org.qkeras4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.layers.Layer;
import org.qkeras4j.layers.LayerConfigException;
import org.qkeras4j.layers.LayerRegistry;
import org.qkeras4j.layers.LayerTesting;
import org.qkeras4j.layers.Weight;
import org.qkeras4j.layers.initializers.Orthogonal;

class RecurrentLayersTest {
  static final int STEPS = 4;
  static final int FEATURES = 3;
  static final int UNITS = 2;
  static final int BATCH = 2;

  @BeforeAll
  static void engine() {
    Engines.get();
  }

  static Layer layer(String className, Object... keyValues) {
    Map<String, Object> c = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      c.put((String) keyValues[i], keyValues[i + 1]);
    }
    return LayerRegistry.create(className, c);
  }

  static float[] input() {
    return LayerTesting.random(BATCH * STEPS * FEATURES, 11);
  }

  /** The oracle run on each sample of the batch, outputs concatenated. */
  interface PerSample {
    double[][] run(double[][] x);
  }

  static float[] expected(float[] x, boolean sequences, boolean backwards, PerSample oracle) {
    List<Float> all = new ArrayList<>();
    int per = STEPS * FEATURES;
    for (int b = 0; b < BATCH; b++) {
      float[] sample = new float[per];
      System.arraycopy(x, b * per, sample, 0, per);
      for (float v : RecurrentReference.flatten(oracle.run(RecurrentReference.steps(sample, STEPS, FEATURES, backwards)),
          sequences)) {
        all.add(v);
      }
    }
    float[] out = new float[all.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = all.get(i);
    }
    return out;
  }

  @Nested
  class SimpleRnn {
    @Test
    void simpleRnn8OnFiveStepsOfOneFeatureHasKerasEightyParameters() {
      Layer rnn = layer("SimpleRNN", "units", 8, "activation", "relu");
      LayerTesting.check(rnn).input(3, 5, 1)
          .weightNames("kernel", "recurrent_kernel", "bias")
          .weightShapes(new long[] {1, 8}, new long[] {8, 8}, new long[] {8})
          .expectOutputShape(3, 8)
          .run();
      assertEquals(80, rnn.countParams());
    }

    @Test
    void lastOutputMatchesTheHandWrittenTanhRecurrence() {
      float[] k = LayerTesting.random(FEATURES * UNITS, 1);
      float[] u = LayerTesting.random(UNITS * UNITS, 2);
      float[] b = LayerTesting.random(UNITS, 3);
      float[] x = input();
      LayerTesting.check(layer("SimpleRNN", "units", UNITS))
          .input(new long[] {BATCH, STEPS, FEATURES}, x).weights(k, u, b)
          .expectOutput(expected(x, false, false, s -> RecurrentReference.simpleRnn(s, k, u, b, UNITS,
              RecurrentReference.TANH)), 1e-5)
          .run();
    }

    @Test
    void returnSequencesGivesEveryStepAndGoBackwardsReadsFromTheEndInReversedOrder() {
      float[] k = LayerTesting.random(FEATURES * UNITS, 4);
      float[] u = LayerTesting.random(UNITS * UNITS, 5);
      float[] b = LayerTesting.random(UNITS, 6);
      float[] x = input();
      for (boolean backwards : new boolean[] {false, true}) {
        LayerTesting.check(layer("SimpleRNN", "units", UNITS, "return_sequences", true, "go_backwards", backwards,
                "activation", "relu"))
            .input(new long[] {BATCH, STEPS, FEATURES}, x).weights(k, u, b)
            .expectOutputShape(BATCH, STEPS, UNITS)
            .expectOutput(expected(x, true, backwards, s -> RecurrentReference.simpleRnn(s, k, u, b, UNITS,
                RecurrentReference.RELU)), 1e-5)
            .run();
      }
    }

    @Test
    void returnStateAddsTheFinalStateAsASecondOutput() {
      Layer rnn = layer("SimpleRNN", "units", UNITS, "return_state", true, "return_sequences", true);
      Shape[] shapes = rnn.outputShapes(new Shape[] {new Shape(-1, STEPS, FEATURES)});
      assertArrayEquals(new Shape[] {new Shape(-1, STEPS, UNITS), new Shape(-1, UNITS)}, shapes);
      try (NDManager m = NDManager.newBaseManager()) {
        NDList out = rnn.forward(new NDList(m.create(input(), new Shape(BATCH, STEPS, FEATURES))), false);
        assertEquals(2, out.size());
        NDArray last = out.get(0).get(":, " + (STEPS - 1) + ", :");
        assertArrayEquals(last.toFloatArray(), out.get(1).toFloatArray());
      }
    }

    @Test
    void unsupportedArgumentsFailNamingThem() {
      LayerConfigException e = assertThrows(LayerConfigException.class,
          () -> layer("SimpleRNN", "units", 2, "stateful", true));
      assertTrue(e.getMessage().contains("'stateful' is not supported"), e.getMessage());
      e = assertThrows(LayerConfigException.class, () -> layer("SimpleRNN", "units", 2, "dropout", 1.5));
      assertTrue(e.getMessage().contains("'dropout' must be in [0, 1)"), e.getMessage());
      IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
          () -> layer("SimpleRNN", "units", 2).outputShapes(new Shape[] {new Shape(-1, 4)}));
      assertTrue(rank.getMessage().contains("rank 3"), rank.getMessage());
    }

    @Test
    void defaultInitializersAreGlorotUniformOrthogonalAndZeros() {
      Map<String, Object> c = layer("SimpleRNN", "units", 4).getConfig();
      assertEquals("GlorotUniform", ((Map<?, ?>) c.get("kernel_initializer")).get("class_name"));
      assertEquals("Orthogonal", ((Map<?, ?>) c.get("recurrent_initializer")).get("class_name"));
      assertEquals("Zeros", ((Map<?, ?>) c.get("bias_initializer")).get("class_name"));
      assertEquals("tanh", c.get("activation"));
    }

    @Test
    void explicitNoneActivationIsLinear() {
      float[] k = LayerTesting.random(FEATURES * UNITS, 7);
      float[] u = LayerTesting.random(UNITS * UNITS, 8);
      float[] b = LayerTesting.random(UNITS, 9);
      float[] x = input();
      LayerTesting.check(layer("SimpleRNN", "units", UNITS, "activation", null))
          .input(new long[] {BATCH, STEPS, FEATURES}, x).weights(k, u, b)
          .expectOutput(expected(x, false, false, s -> RecurrentReference.simpleRnn(s, k, u, b, UNITS, v -> v)), 1e-5)
          .run();
    }
  }

  @Nested
  class Lstm {
    @Test
    void matchesTheHandWrittenLstmWithGatesInKerasOrderIfco() {
      float[] k = LayerTesting.random(FEATURES * 4 * UNITS, 21);
      float[] u = LayerTesting.random(UNITS * 4 * UNITS, 22);
      float[] b = LayerTesting.random(4 * UNITS, 23);
      float[] x = input();
      for (boolean sequences : new boolean[] {false, true}) {
        LayerTesting.check(layer("LSTM", "units", UNITS, "return_sequences", sequences))
            .input(new long[] {BATCH, STEPS, FEATURES}, x).weights(k, u, b)
            .weightShapes(new long[] {FEATURES, 4 * UNITS}, new long[] {UNITS, 4 * UNITS}, new long[] {4 * UNITS})
            .expectOutput(expected(x, sequences, false, s -> RecurrentReference.lstm(s, k, u, b, UNITS,
                RecurrentReference.TANH, RecurrentReference.SIGMOID)), 1e-5)
            .run();
      }
    }

    @Test
    void unitForgetBiasStartsTheForgetGateBiasAtOne() {
      Layer lstm = layer("LSTM", "units", 3);
      try (NDManager m = NDManager.newBaseManager()) {
        lstm.build(m, new Shape(-1, 2, 1));
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0}, lstm.weight("bias").value().toFloatArray());
        Layer plain = layer("LSTM", "units", 3, "unit_forget_bias", false);
        plain.build(m, new Shape(-1, 2, 1));
        assertArrayEquals(new float[12], plain.weight("bias").value().toFloatArray());
      }
      assertEquals("Zeros", ((Map<?, ?>) lstm.getConfig().get("bias_initializer")).get("class_name"));
    }

    @Test
    void lstm16OnOneFeatureHasKerasParameterCount() {
      Layer lstm = layer("LSTM", "units", 16);
      try (NDManager m = NDManager.newBaseManager()) {
        lstm.build(m, new Shape(-1, 5, 1));
        assertEquals(4 * (16 + 16 * 16 + 16), lstm.countParams());
      }
    }

    @Test
    void returnStateGivesHAndC() {
      Layer lstm = layer("LSTM", "units", UNITS, "return_state", true);
      assertEquals(3, lstm.outputShapes(new Shape[] {new Shape(-1, STEPS, FEATURES)}).length);
    }
  }

  @Nested
  class Gru {
    @Test
    void resetAfterIsTheKeras2DefaultWithATwoRowBias() {
      float[] k = LayerTesting.random(FEATURES * 3 * UNITS, 31);
      float[] u = LayerTesting.random(UNITS * 3 * UNITS, 32);
      float[] b = LayerTesting.random(2 * 3 * UNITS, 33);
      float[] x = input();
      Layer gru = layer("GRU", "units", UNITS);
      assertEquals(true, gru.getConfig().get("reset_after"));
      LayerTesting.check(gru)
          .input(new long[] {BATCH, STEPS, FEATURES}, x).weights(k, u, b)
          .weightShapes(new long[] {FEATURES, 3 * UNITS}, new long[] {UNITS, 3 * UNITS}, new long[] {2, 3 * UNITS})
          .expectOutput(expected(x, false, false, s -> RecurrentReference.gru(s, k, u, b, UNITS, true,
              RecurrentReference.TANH, RecurrentReference.SIGMOID)), 1e-5)
          .run();
    }

    @Test
    void resetBeforeAppliesTheResetGateToThePreviousStateBeforeItsMatmul() {
      float[] k = LayerTesting.random(FEATURES * 3 * UNITS, 34);
      float[] u = LayerTesting.random(UNITS * 3 * UNITS, 35);
      float[] b = LayerTesting.random(3 * UNITS, 36);
      float[] x = input();
      LayerTesting.check(layer("GRU", "units", UNITS, "reset_after", false, "return_sequences", true))
          .input(new long[] {BATCH, STEPS, FEATURES}, x).weights(k, u, b)
          .weightShapes(new long[] {FEATURES, 3 * UNITS}, new long[] {UNITS, 3 * UNITS}, new long[] {3 * UNITS})
          .expectOutput(expected(x, true, false, s -> RecurrentReference.gru(s, k, u, b, UNITS, false,
              RecurrentReference.TANH, RecurrentReference.SIGMOID)), 1e-5)
          .run();
    }

    @Test
    void gru8OnOneFeatureHasKerasParameterCount() {
      Layer gru = layer("GRU", "units", 8);
      try (NDManager m = NDManager.newBaseManager()) {
        gru.build(m, new Shape(-1, 5, 1));
        // Keras 2: 3 * (8 * 1 + 8 * 8 + 2 * 8) with the reset_after bias.
        assertEquals(3 * (8 + 64 + 16), gru.countParams());
      }
    }
  }

  @Nested
  class BidirectionalWrapper {
    static Map<String, Object> wrapped(String className, Object... keyValues) {
      Map<String, Object> c = new HashMap<>();
      for (int i = 0; i < keyValues.length; i += 2) {
        c.put((String) keyValues[i], keyValues[i + 1]);
      }
      return Map.of("class_name", className, "config", c);
    }

    @Test
    void concatJoinsTheForwardOutputAndTheBackwardOutputOnTheLastAxis() {
      Layer bi = layer("Bidirectional", "layer", wrapped("SimpleRNN", "units", UNITS, "name", "rnn"));
      float[] kf = LayerTesting.random(FEATURES * UNITS, 41);
      float[] uf = LayerTesting.random(UNITS * UNITS, 42);
      float[] bf = LayerTesting.random(UNITS, 43);
      float[] kb = LayerTesting.random(FEATURES * UNITS, 44);
      float[] ub = LayerTesting.random(UNITS * UNITS, 45);
      float[] bb = LayerTesting.random(UNITS, 46);
      float[] x = input();
      float[] f = expected(x, false, false, s -> RecurrentReference.simpleRnn(s, kf, uf, bf, UNITS, RecurrentReference.TANH));
      float[] b = expected(x, false, true, s -> RecurrentReference.simpleRnn(s, kb, ub, bb, UNITS, RecurrentReference.TANH));
      float[] want = new float[BATCH * 2 * UNITS];
      for (int s = 0; s < BATCH; s++) {
        System.arraycopy(f, s * UNITS, want, s * 2 * UNITS, UNITS);
        System.arraycopy(b, s * UNITS, want, s * 2 * UNITS + UNITS, UNITS);
      }
      LayerTesting.check(bi).input(new long[] {BATCH, STEPS, FEATURES}, x).weights(kf, uf, bf, kb, ub, bb)
          .weightNames("forward_rnn/kernel", "forward_rnn/recurrent_kernel", "forward_rnn/bias",
              "backward_rnn/kernel", "backward_rnn/recurrent_kernel", "backward_rnn/bias")
          .expectOutputShape(BATCH, 2 * UNITS)
          .expectOutput(want, 1e-5)
          .run();
      assertEquals(2 * (FEATURES * UNITS + UNITS * UNITS + UNITS), bi.countParams());
    }

    @Test
    void returnSequencesPutsTheBackwardSequenceBackInTimeOrderBeforeMerging() {
      float[] x = input();
      float[] kf = LayerTesting.random(FEATURES * UNITS, 51);
      float[] uf = LayerTesting.random(UNITS * UNITS, 52);
      float[] bf = LayerTesting.random(UNITS, 53);
      float[] kb = LayerTesting.random(FEATURES * UNITS, 54);
      float[] ub = LayerTesting.random(UNITS * UNITS, 55);
      float[] bb = LayerTesting.random(UNITS, 56);
      float[] f = expected(x, true, false, s -> RecurrentReference.simpleRnn(s, kf, uf, bf, UNITS, RecurrentReference.TANH));
      float[] b = expected(x, true, true, s -> RecurrentReference.simpleRnn(s, kb, ub, bb, UNITS, RecurrentReference.TANH));
      for (String mode : new String[] {"sum", "mul", "ave"}) {
        float[] want = new float[f.length];
        for (int s = 0; s < BATCH; s++) {
          for (int t = 0; t < STEPS; t++) {
            for (int j = 0; j < UNITS; j++) {
              float fv = f[(s * STEPS + t) * UNITS + j];
              float bv = b[(s * STEPS + (STEPS - 1 - t)) * UNITS + j];
              want[(s * STEPS + t) * UNITS + j] = switch (mode) {
                case "sum" -> fv + bv;
                case "mul" -> fv * bv;
                default -> (fv + bv) / 2;
              };
            }
          }
        }
        Layer bi = layer("Bidirectional", "merge_mode", mode,
            "layer", wrapped("SimpleRNN", "units", UNITS, "return_sequences", true));
        LayerTesting.check(bi).input(new long[] {BATCH, STEPS, FEATURES}, x).weights(kf, uf, bf, kb, ub, bb)
            .expectOutputShape(BATCH, STEPS, UNITS)
            .expectOutput(want, 1e-5)
            .run();
      }
    }

    @Test
    void bidirectionalLstmConcatHasTwiceTheUnitsAndTwiceTheParameters() {
      Bidirectional bi = (Bidirectional) layer("Bidirectional", "layer", wrapped("LSTM", "units", 16, "name", "lstm"));
      assertEquals("forward_lstm", bi.forwardLayer().name());
      assertEquals("backward_lstm", bi.backwardLayer().name());
      assertTrue(bi.backwardLayer().goBackwards());
      assertArrayEquals(new Shape[] {new Shape(-1, 32)}, bi.outputShapes(new Shape[] {new Shape(-1, 5, 1)}));
      try (NDManager m = NDManager.newBaseManager()) {
        bi.build(m, new Shape(-1, 5, 1));
        assertEquals(2 * 4 * (16 + 16 * 16 + 16), bi.countParams());
      }
      Map<String, Object> c = bi.getConfig();
      assertEquals("concat", c.get("merge_mode"));
      assertEquals("lstm", ((Map<?, ?>) ((Map<?, ?>) c.get("layer")).get("config")).get("name"));
    }

    @Test
    void wrappingALayerThatIsNotRecurrentFailsNamingIt() {
      LayerConfigException e = assertThrows(LayerConfigException.class,
          () -> layer("Bidirectional", "layer", wrapped("Dense", "units", 2)));
      assertTrue(e.getMessage().contains("must be a recurrent layer") && e.getMessage().contains("Dense"),
          e.getMessage());
    }
  }

  @Test
  void orthogonalInitializerGivesOrthonormalColumnsOrRows() {
    for (long[] dims : new long[][] {{4, 4}, {6, 3}, {2, 8}}) {
      try (NDManager m = NDManager.newBaseManager()) {
        NDArray w = new Orthogonal(1.0, 7L).initialize(m, new Shape(dims));
        NDArray gram = dims[0] >= dims[1] ? w.transpose().matMul(w) : w.matMul(w.transpose());
        long n = Math.min(dims[0], dims[1]);
        LayerTesting.assertClose(m.eye((int) n).toFloatArray(), gram.toFloatArray(), 1e-5,
            "Orthogonal " + new Shape(dims));
        assertArrayEquals(w.toFloatArray(), new Orthogonal(1.0, 7L).initialize(m, new Shape(dims)).toFloatArray(),
            "seeded draws repeat");
        assertEquals(2.0, new Orthogonal(2.0, 7L).initialize(m, new Shape(dims)).toFloatArray()[0] / w.toFloatArray()[0],
            1e-5, "gain scales");
      }
    }
  }

  @Test
  void everyWeightGetsAGradientThroughTheTimeLoop() {
    for (String cls : new String[] {"SimpleRNN", "LSTM", "GRU"}) {
      Layer l = layer(cls, "units", UNITS);
      try (NDManager m = NDManager.newBaseManager()) {
        l.build(m, new Shape(BATCH, STEPS, FEATURES));
        try (ai.djl.training.GradientCollector gc = Engines.get().newGradientCollector()) {
          NDArray y = l.forward(new NDList(m.create(input(), new Shape(BATCH, STEPS, FEATURES))), true).head();
          gc.backward(y.square().sum());
        }
        for (Weight w : l.weights()) {
          float max = w.value().getGradient().abs().max().getFloat();
          assertTrue(max > 0, cls + " weight " + w.name() + " got no gradient");
        }
      }
    }
  }
}

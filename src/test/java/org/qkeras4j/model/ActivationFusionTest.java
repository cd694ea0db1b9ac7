package org.qkeras4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.engine.ScriptedFunction;
import org.qkeras4j.layers.SymbolicTensor;
import org.qkeras4j.layers.Weight;
import org.qkeras4j.layers.core.Activation;
import org.qkeras4j.layers.core.QActivation;
import org.qkeras4j.layers.core.QDense;

/**
 * A QDense whose output only a QActivation reads runs with it as one fused call: same values and
 * gradients as the two layers run apart (fusion off), fewer calls, and no fusion where the QDense's
 * own output is needed.
 */
class ActivationFusionTest {
  private static final String Q6 = "quantized_bits(6,0,alpha=1)";

  @BeforeAll
  static void engine() {
    Engines.get();
  }

  /** Input 6 -> QDense 8 -> quantized_relu(6) -> QDense 4 -> quantized_relu(4,2) -> softmax. */
  private static Model mlp() {
    SymbolicTensor in = Input.of(6);
    SymbolicTensor x = dense(8).apply(in);
    x = QActivation.of("quantized_relu(6)").apply(x);
    x = dense(4).apply(x);
    x = QActivation.of("quantized_relu(4,2)").apply(x);
    x = Activation.builder().activation("softmax").build().apply(x);
    return Model.of(in, x);
  }

  private static QDense dense(int units) {
    return new QDense.Builder().units(units).kernelQuantizer(Q6).biasQuantizer(Q6).build();
  }

  /** The outputs, then the gradient of every weight, for one forward and backward pass. */
  private record Run(List<float[]> arrays, long fusedCalls) {}

  private static Run run(Supplier<Model> build, boolean fused) {
    boolean saved = ScriptedFunction.setEnabled(fused);
    Engines.seed(7);
    try (Model model = build.get(); NDManager m = NDManager.newBaseManager()) {
      Random r = new Random(3);
      float[] x = new float[5 * 6];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (r.nextGaussian() * 1.5);
      }
      float[] upstream = new float[5 * 4];
      for (int i = 0; i < upstream.length; i++) {
        upstream[i] = (float) r.nextGaussian();
      }
      List<float[]> arrays = new ArrayList<>();
      long before = ScriptedFunction.calls();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDList out = model.forward(new NDList(m.create(x, new Shape(5, 6))), true);
        long calls = ScriptedFunction.calls() - before;
        NDArray loss = null;
        for (NDArray o : out) {
          arrays.add(o.toFloatArray());
          NDArray term = o.mul(m.create(upstream, o.getShape())).sum();
          loss = loss == null ? term : loss.add(term);
        }
        collector.backward(loss);
        for (Weight w : model.trainableWeights()) {
          arrays.add(w.value().getGradient().toFloatArray());
        }
        return new Run(arrays, calls);
      }
    } finally {
      ScriptedFunction.setEnabled(saved);
    }
  }

  private static void assertSameArrays(Run expected, Run actual) {
    assertEquals(expected.arrays().size(), actual.arrays().size());
    for (int i = 0; i < expected.arrays().size(); i++) {
      assertArrayEquals(expected.arrays().get(i), actual.arrays().get(i), 0f, "array " + i);
    }
  }

  @Test
  void eachQDenseRunsWithTheQuantizedReluAfterItInOneCallWithTheSameValuesAndGradients() {
    Run fused = run(ActivationFusionTest::mlp, true);
    Run apart = run(ActivationFusionTest::mlp, false);
    assertEquals(2, fused.fusedCalls(), "one call per QDense, its activation included");
    assertEquals(0, apart.fusedCalls());
    assertSameArrays(apart, fused);
    // The gradients reach every weight: two kernels and two biases, none all zero.
    assertEquals(5, fused.arrays().size());
    for (float[] g : fused.arrays().subList(1, 5)) {
      double norm = 0;
      for (float v : g) {
        norm += Math.abs(v);
      }
      assertEquals(true, norm > 0, "a weight without gradient");
    }
  }

  @Test
  void aQuantizedBitsActivationFusesLikeAQuantizedRelu() {
    Supplier<Model> build = () -> {
      SymbolicTensor in = Input.of(6);
      SymbolicTensor x = dense(5).apply(in);
      x = QActivation.of("quantized_bits(4,0,1)").apply(x);
      return Model.of(in, dense(4).apply(x));
    };
    Run fused = run(build, true);
    assertEquals(2, fused.fusedCalls(), "the first QDense with its activation, then the last QDense");
    assertSameArrays(run(build, false), fused);
  }

  @Test
  void aQDenseWhoseOutputIsAlsoAModelOutputKeepsItsActivationApart() {
    Supplier<Model> build = () -> {
      SymbolicTensor in = Input.of(6);
      SymbolicTensor pre = dense(4).apply(in);
      SymbolicTensor post = QActivation.of("quantized_relu(6)").apply(pre);
      return Model.of("two_outputs", List.of(in), List.of(pre, post));
    };
    Run fused = run(build, true);
    assertEquals(2, fused.fusedCalls(), "the QDense and the activation, each on its own");
    assertSameArrays(run(build, false), fused);
  }

  @Test
  void aQDenseReadByTwoLayersKeepsItsActivationApart() {
    Supplier<Model> build = () -> {
      SymbolicTensor in = Input.of(6);
      SymbolicTensor pre = dense(4).apply(in);
      SymbolicTensor a = QActivation.of("quantized_relu(6)").apply(pre);
      SymbolicTensor b = Activation.builder().activation("tanh").build().apply(pre);
      return Model.of("branches", List.of(in), List.of(a, b));
    };
    Run fused = run(build, true);
    assertEquals(2, fused.fusedCalls());
    assertSameArrays(run(build, false), fused);
  }

  @Test
  void aQDenseWithItsOwnActivationOrAnActivityRegularizerKeepsTheNextOneApart() {
    Supplier<Model> ownActivation = () -> {
      SymbolicTensor in = Input.of(6);
      SymbolicTensor x = new QDense.Builder().units(4).kernelQuantizer(Q6).biasQuantizer(Q6).activation("tanh")
          .build().apply(in);
      return Model.of(in, QActivation.of("quantized_relu(6)").apply(x));
    };
    Run fused = run(ownActivation, true);
    assertEquals(2, fused.fusedCalls());
    assertSameArrays(run(ownActivation, false), fused);

    Supplier<Model> regularized = () -> {
      SymbolicTensor in = Input.of(6);
      SymbolicTensor x = new QDense.Builder().units(4).kernelQuantizer(Q6).biasQuantizer(Q6)
          .set("activity_regularizer", "l2").build().apply(in);
      return Model.of(in, QActivation.of("quantized_relu(6)").apply(x));
    };
    assertEquals(2, run(regularized, true).fusedCalls());
  }

  @Test
  void inInferenceTheActivationIsFusedToo() {
    Engines.seed(7);
    try (Model model = mlp(); NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomNormal(new Shape(3, 6));
      long before = ScriptedFunction.calls();
      float[] fused = model.forward(new NDList(x), false).head().toFloatArray();
      assertEquals(2, ScriptedFunction.calls() - before);
      boolean saved = ScriptedFunction.setEnabled(false);
      try {
        assertArrayEquals(model.forward(new NDList(x), false).head().toFloatArray(), fused, 0f);
      } finally {
        ScriptedFunction.setEnabled(saved);
      }
    }
  }
}

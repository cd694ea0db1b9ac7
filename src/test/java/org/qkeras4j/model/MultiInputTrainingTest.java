package org.qkeras4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.qkeras4j.data.Dataset;
import org.qkeras4j.data.HostTensor;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.layers.Names;
import org.qkeras4j.layers.SymbolicTensor;
import org.qkeras4j.layers.core.Dense;
import org.qkeras4j.layers.merging.Concatenate;
import org.qkeras4j.train.FitOptions;
import org.qkeras4j.train.SGD;

/** fit / evaluate / predict of a functional model with two inputs, given as a list or by name. */
class MultiInputTrainingTest {
  private static final int N = 256;

  @BeforeEach
  void setUp() {
    Names.reset();
    Engines.get();
  }

  /** Inputs a and b, concatenated, into one linear unit: it can fit y = a - b exactly. */
  private static Model difference() {
    SymbolicTensor a = Input.named("a", 1);
    SymbolicTensor b = Input.named("b", 1);
    SymbolicTensor joined = Concatenate.create().apply(a, b);
    SymbolicTensor out = Dense.builder().units(1).name("out").build().apply(joined);
    return Model.of("difference", List.of(a, b), List.of(out));
  }

  private static HostTensor uniform(long seed) {
    Random r = new Random(seed);
    float[] v = new float[N];
    for (int i = 0; i < N; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return new HostTensor(v, N, 1);
  }

  private static HostTensor minus(HostTensor a, HostTensor b) {
    float[] y = new float[N];
    for (int i = 0; i < N; i++) {
      y[i] = a.data()[i] - b.data()[i];
    }
    return new HostTensor(y, N, 1);
  }

  private static FitOptions shuffledEpochs(int epochs) {
    return FitOptions.builder().optEpochs(epochs).optBatchSize(8).optSeed(11).optVerbose(0).build();
  }

  private static void quiet(Model m) {
    m.trainer().setOutput(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  @Test
  void twoInputModelLearnsTheDifferenceOfItsInputsWithShuffledBatches() {
    HostTensor a = uniform(1);
    HostTensor b = uniform(2);
    HostTensor y = minus(a, b);
    try (Model model = difference()) {
      model.compile(new SGD(0.1), "mse");
      quiet(model);
      model.fit(List.of(a, b), y, shuffledEpochs(40));
      double loss = model.evaluate(new Dataset(List.of(a, b), y), 32, 0).get("loss");
      assertTrue(loss < 1e-6, "a shuffle that kept a, b and y together fits exactly; loss " + loss);
      float[] kernel = model.getLayer("out").weight("kernel").value().toFloatArray();
      assertArrayEquals(new float[] {1f, -1f}, kernel, 1e-3f);
    }
  }

  @Test
  void oneOfTheInputsAloneCannotExplainTheTarget() {
    HostTensor a = uniform(1);
    HostTensor b = uniform(2);
    HostTensor y = minus(a, b);
    SymbolicTensor in = Input.named("a", 1);
    try (Model onlyA = Model.of("only_a", in, Dense.builder().units(1).build().apply(in))) {
      onlyA.compile(new SGD(0.1), "mse");
      quiet(onlyA);
      onlyA.fit(a, y, shuffledEpochs(40));
      double loss = onlyA.evaluate(new Dataset(a, y), 32, 0).get("loss");
      // What is left is b's variance, 1/3 for b uniform on [-1, 1].
      assertTrue(loss > 0.25, "loss " + loss);
    }
  }

  @Test
  void inputsByNameFollowTheModelsInputOrderWhateverTheMapOrder() {
    HostTensor a = uniform(3);
    HostTensor b = uniform(4);
    HostTensor y = minus(a, b);
    try (Model model = difference()) {
      Map<String, HostTensor> reversed = new LinkedHashMap<>();
      reversed.put("b", b);
      reversed.put("a", a);
      model.compile(new SGD(0.1), "mse");
      quiet(model);
      model.fit(reversed, y, shuffledEpochs(40));
      HostTensor byName = model.predict(reversed, 16);
      HostTensor byList = model.predict(List.of(a, b), 16);
      assertArrayEquals(byList.data(), byName.data());
      assertArrayEquals(y.data(), byName.data(), 1e-3f);
      assertEquals(model.evaluate(new Dataset(List.of(a, b), y), 32, 0), model.evaluate(model.dataset(reversed, y), 32, 0));
    }
  }

  @Test
  void inputsByNameNameAMissingOrUnknownInput() {
    HostTensor a = uniform(3);
    try (Model model = difference()) {
      IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
          () -> model.predict(Map.of("a", a), 8));
      assertTrue(missing.getMessage().contains("no data for input 'b'"), missing.getMessage());
      IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
          () -> model.predict(Map.of("a", a, "c", a), 8));
      assertTrue(unknown.getMessage().contains("has no input named 'c'; its inputs are [a, b]"), unknown.getMessage());
    }
  }

  @Test
  void inputsOfDifferentSampleCountsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Dataset(List.of(uniform(1), uniform(2).slice(0, 10)), null));
    assertTrue(e.getMessage().contains("same number of samples"), e.getMessage());
  }
}

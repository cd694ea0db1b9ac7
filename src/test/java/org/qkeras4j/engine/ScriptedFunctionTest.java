package org.qkeras4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScriptedFunctionTest {
  private static NDManager manager;

  @BeforeAll
  static void start() {
    Engines.get();
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  private static ScriptedFunction compiled(String parameters, String body) {
    Optional<ScriptedFunction> f = ScriptedFunction.compile(parameters, body);
    assertTrue(f.isPresent(), "compiles: " + body);
    return f.get();
  }

  /** f(x) and d sum(f(x) * upstream) / dx. */
  private static float[][] valueAndGradient(ScriptedFunction f, float[] x, float[] upstream) {
    try (NDManager m = manager.newSubManager()) {
      NDArray in = m.create(x);
      in.setRequiresGradient(true);
      float[] value;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray out = f.apply(in);
        assertSame(m, out.getManager(), "the result belongs to the input's manager");
        value = out.toFloatArray();
        collector.backward(out.mul(m.create(upstream)).sum());
      }
      return new float[][] {value, in.getGradient().toFloatArray()};
    }
  }

  @Test
  void runsTorchScriptWithAutogradThroughIt() {
    ScriptedFunction f = compiled("x: Tensor", "return x * 2.0 + 1.0");
    float[][] r = valueAndGradient(f, new float[] {0f, 1.5f, -3f}, new float[] {1f, 10f, 100f});
    assertArrayEquals(new float[] {1f, 4f, -5f}, r[0]);
    assertArrayEquals(new float[] {2f, 20f, 200f}, r[1]);
  }

  @Test
  void takesSeveralInputs() {
    ScriptedFunction f = compiled("x: Tensor, y: Tensor", "return x * y");
    try (NDManager m = manager.newSubManager()) {
      float[] out = f.apply(m.create(new float[] {2f, 3f}), m.create(new float[] {5f, -1f})).toFloatArray();
      assertArrayEquals(new float[] {10f, -3f}, out);
    }
  }

  @Test
  void inPlaceUpdatesOfADetachedViewChangeTheValueButNotTheGradient() {
    // The fused quantizers' pattern: the recorded operation sets the gradient, the view the value.
    ScriptedFunction f = compiled("x: Tensor", "y = x.clone()\nq = y.detach()\nq.round_()\nreturn y");
    float[][] r = valueAndGradient(f, new float[] {0.4f, 1.6f, -2.5f}, new float[] {3f, 4f, 5f});
    assertArrayEquals(new float[] {0f, 2f, -2f}, r[0]);
    assertArrayEquals(new float[] {3f, 4f, 5f}, r[1]);
  }

  @Test
  void keepsTheOperationsOwnDerivativesOverManyCalls() {
    // hardtanh's own derivative is 0 at its bounds (the fused quantized_relu relies on that);
    // PyTorch's symbolic formula for it, which its graph optimizer may substitute after a few
    // profiled runs, passes the gradient there. The optimizer is off, and calls past the
    // profiling runs keep the exact derivative.
    ScriptedFunction f = compiled("x: Tensor", "y = torch.hardtanh(x, 0.0, 1.0)\nq = y.detach()\nq.mul_(2.0).round_().mul_(0.5)\nreturn y * 1.0");
    for (int call = 0; call < 30; call++) {
      float[][] r = valueAndGradient(f, new float[] {0f, 0.5f, 1f, 2f}, new float[] {1f, 1f, 1f, 1f});
      assertArrayEquals(new float[] {0f, 1f, 0f, 0f}, r[1], "call " + call);
    }
  }

  @Test
  void helpersComposeBodiesWrittenForX() {
    // Each helper is written as a function of x and keeps its own temporaries (both use q).
    Map<String, String> helpers = Map.of(
        "halve", "q = x * 0.5\nreturn q",
        "rounded", "y = x.clone()\nq = y.detach()\nq.round_()\nreturn y");
    Optional<ScriptedFunction> f = ScriptedFunction.compile("a: Tensor, b: Tensor",
        "return self.rounded(a) + self.halve(b)", helpers);
    assertTrue(f.isPresent());
    try (NDManager m = manager.newSubManager()) {
      float[] out = f.get().apply(m.create(new float[] {0.4f, 2.6f}), m.create(new float[] {3f, -1f})).toFloatArray();
      assertArrayEquals(new float[] {1.5f, 2.5f}, out);
    }
    // The same text with other helpers is another function.
    Optional<ScriptedFunction> other = ScriptedFunction.compile("a: Tensor, b: Tensor",
        "return self.rounded(a) + self.halve(b)", Map.of("halve", "return x * 0.25", "rounded", "return x"));
    assertTrue(other.isPresent());
    assertNotSame(f.get(), other.get());
    assertThrows(IllegalArgumentException.class,
        () -> ScriptedFunction.compile("x: Tensor", "return self.forward(x)", Map.of("forward", "return x")));
    assertThrows(IllegalArgumentException.class,
        () -> ScriptedFunction.compile("x: Tensor", "return x", Map.of("two words", "return x")));
  }

  @Test
  void compilesEachTextOnce() {
    assertSame(compiled("x: Tensor", "return x + 7.0"), compiled("x: Tensor", "return x + 7.0"));
  }

  @Test
  void sourcePyTorchCannotCompileGivesNoFunction() {
    assertFalse(ScriptedFunction.compile("x: Tensor", "return torch.no_such_operation(x)").isPresent());
  }

  @Test
  void switchedOffGivesNoFunction() {
    boolean saved = ScriptedFunction.setEnabled(false);
    try {
      assertFalse(ScriptedFunction.isEnabled());
      assertFalse(ScriptedFunction.compile("x: Tensor", "return x + 1.0").isPresent());
    } finally {
      ScriptedFunction.setEnabled(saved);
    }
    assertTrue(ScriptedFunction.compile("x: Tensor", "return x + 1.0").isPresent());
  }

  @Test
  void literalsParseBackToTheSameNumber() {
    ScriptedFunction f = compiled("x: Tensor",
        "return x * " + ScriptedFunction.literal(Math.scalb(1.0, -100)) + " + "
            + ScriptedFunction.literal(1e-30) + " * 0.0 + " + ScriptedFunction.literal(0.1));
    try (NDManager m = manager.newSubManager()) {
      double[] out = f.apply(m.create(new double[] {Math.scalb(1.0, 100)})).toDoubleArray();
      assertEquals(1.1, out[0], 0.0);
    }
    assertEquals("1.0e-30", ScriptedFunction.literal(1e-30));
    assertThrows(IllegalArgumentException.class, () -> ScriptedFunction.literal(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> ScriptedFunction.literal(Double.NEGATIVE_INFINITY));
  }

  @Test
  void float32ConstantsAreTensorsOfTheNumberRoundedToFloat32() {
    assertEquals("self.f32_42000000", ScriptedFunction.float32(32));
    assertEquals("self.f32_3dcccccd", ScriptedFunction.float32(0.1));
    assertEquals("self.f32_bf800000", ScriptedFunction.float32(-1));
    assertEquals("self.f32_7f800000", ScriptedFunction.float32(1e300), "beyond float32 is infinity, as PyTorch casts");
    ScriptedFunction f = compiled("x: Tensor", "return x * " + ScriptedFunction.float32(0.1) + " + "
        + ScriptedFunction.float32(3));
    float[][] r = valueAndGradient(f, new float[] {1f, 7f, -16777216f}, new float[] {1f, 2f, 4f});
    float tenth = (float) 0.1;
    assertArrayEquals(new float[] {1f * tenth + 3f, 7f * tenth + 3f, -16777216f * tenth + 3f}, r[0], 0f);
    assertArrayEquals(new float[] {tenth, 2f * tenth, 4f * tenth}, r[1], 0f);
  }

  @Test
  void helpersReadTheirFloat32ConstantsToo() {
    ScriptedFunction f = ScriptedFunction.compile("x: Tensor", "return self.half(x) - " + ScriptedFunction.float32(0.25),
        Map.of("half", "return x * " + ScriptedFunction.float32(0.5))).orElseThrow();
    try (NDManager m = manager.newSubManager()) {
      assertArrayEquals(new float[] {0.75f, -1.25f}, f.apply(m.create(new float[] {2f, -2f})).toFloatArray(), 0f);
    }
  }

  @Test
  void aFunctionUpdatesAListOfTensorsInPlace() {
    ScriptedFunction f = compiled("ws: List[Tensor]", "ws[0].detach().mul_(2.0)\nws[1].detach().add_(ws[0])\nreturn ws[0]");
    try (NDManager m = manager.newSubManager()) {
      NDArray a = m.create(new float[] {1f, -3f});
      a.setRequiresGradient(true);
      NDArray b = m.create(new float[] {10f, 20f});
      long before = ScriptedFunction.calls();
      f.runInPlace(List.of(a, b));
      assertEquals(1, ScriptedFunction.calls() - before);
      assertArrayEquals(new float[] {2f, -6f}, a.toFloatArray(), 0f);
      assertArrayEquals(new float[] {12f, 14f}, b.toFloatArray(), 0f);
    }
  }
}

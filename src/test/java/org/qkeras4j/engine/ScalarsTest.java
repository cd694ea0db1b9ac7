package org.qkeras4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScalarsTest {
  @BeforeAll
  static void engine() {
    Engines.get();
  }

  /**
   * Differentiates {@code f} at x = [1, 2, 3] many times, running the garbage collector and
   * reusing freed direct memory between the forward and the backward pass, as a busy training
   * loop does. With DJL's own {@code mul(Number)} about 40% of these gradients come out wrong.
   */
  private static List<float[]> gradientsUnderCollection(DataType type, UnaryOperator<NDArray> f, int rounds) {
    List<float[]> out = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager()) {
      for (int i = 0; i < rounds; i++) {
        try (NDManager step = m.newSubManager()) {
          NDArray x = step.create(new float[] {1f, 2f, 3f}).toType(type, false);
          x.setRequiresGradient(true);
          try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
            NDArray y = f.apply(x).sum();
            System.gc();
            List<ByteBuffer> reuse = new ArrayList<>();
            for (int j = 0; j < 200; j++) {
              ByteBuffer b = ByteBuffer.allocateDirect(8);
              b.putDouble(0, Double.NaN);
              reuse.add(b);
            }
            c.backward(y);
            reuse.clear();
          }
          out.add(x.getGradient().toType(DataType.FLOAT32, false).toFloatArray());
        }
      }
    }
    return out;
  }

  private static void assertEveryGradient(float[] expected, List<float[]> gradients) {
    for (int i = 0; i < gradients.size(); i++) {
      assertArrayEquals(expected, gradients.get(i), 1e-6f, "round " + i + " of " + gradients.stream().map(java.util.Arrays::toString).toList());
    }
  }

  @Test
  void mulAndDivGradientsSurviveTheCollectorInFloat32AndFloat64() {
    assertEveryGradient(new float[] {3, 3, 3}, gradientsUnderCollection(DataType.FLOAT32, x -> Scalars.mul(x, 3), 40));
    assertEveryGradient(new float[] {3, 3, 3}, gradientsUnderCollection(DataType.FLOAT64, x -> Scalars.mul(x, 3), 40));
    assertEveryGradient(new float[] {0.25f, 0.25f, 0.25f},
        gradientsUnderCollection(DataType.FLOAT32, x -> Scalars.div(x, 4), 40));
  }

  @Test
  void powMaximumAndMinimumGiveExactGradientsUnderCollection() {
    // d/dx x^2 = 2x; max(x, 1.5) passes the gradient where x > 1.5; min(x, 2.5) where x < 2.5.
    assertEveryGradient(new float[] {2, 4, 6}, gradientsUnderCollection(DataType.FLOAT32, x -> Scalars.pow(x, 2), 30));
    assertEveryGradient(new float[] {0, 1, 1},
        gradientsUnderCollection(DataType.FLOAT32, x -> Scalars.maximum(x, 1.5), 30));
    assertEveryGradient(new float[] {1, 1, 0},
        gradientsUnderCollection(DataType.FLOAT32, x -> Scalars.minimum(x, 2.5), 30));
  }

  @Test
  void cachedConstantsSurviveTheCollectorAndScopesAndAreSharedPerValue() {
    assertEveryGradient(new float[] {3, 3, 3},
        gradientsUnderCollection(DataType.FLOAT32, x -> x.mul(Scalars.of(x, 3)), 30));
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {3f});
      NDArray third;
      try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
        scope.suppressNotUsedWarning();
        third = Scalars.of(x, 1.0 / 3.0);
      }
      assertEquals(DataType.FLOAT64, third.getDataType(), "a double, as DJL makes for x.mul(double)");
      assertEquals(1.0 / 3.0, third.getDouble(), 0.0, "still open after the scope closed");
      assertSame(third, Scalars.of(x, 1.0 / 3.0));
      assertEquals(DataType.FLOAT32, x.mul(third).getDataType());
    }
  }

  @Test
  void freshConstantsTakeTheArraysTypeWithFullDoublePrecisionInFloat64() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x64 = m.create(new double[] {3.0});
      NDArray third = Scalars.fresh(x64, 1.0 / 3.0);
      assertEquals(DataType.FLOAT64, third.getDataType());
      assertEquals(1.0 / 3.0, third.getDouble(), 0.0);
      assertEquals(1.0, Scalars.mul(x64, 1.0 / 3.0).getDouble(), 0.0);
      NDArray x32 = m.create(new float[] {3f});
      assertEquals(DataType.FLOAT32, Scalars.fresh(x32, 0.1).getDataType());
      assertEquals(0.1f, Scalars.fresh(x32, 0.1).getFloat(), 0f);
      assertEquals(0, Scalars.fresh(x32, 0.1).getShape().dimension());
    }
  }
}

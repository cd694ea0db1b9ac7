package org.qkeras4j.layers.constraints;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.engine.ScriptedFunction;

class ConstraintBatchTest {
  /** Values on both sides of the bounds, signed zeros, NaN and infinities. */
  private static final float[] EDGES = {-3f, -1.0000001f, -1f, -0.5f, -0f, 0f, 0.99999994f, 1f, 1.0000001f, 7f,
      Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};

  @BeforeAll
  static void engine() {
    Engines.get();
  }

  @Test
  void aClipProjectsInPlaceWithExactlyTheValuesOfApply() {
    try (NDManager m = NDManager.newBaseManager()) {
      Clip clip = new Clip(-1, 1);
      float[] reference = clip.apply(m.create(EDGES)).toFloatArray();
      NDArray w = m.create(EDGES);
      ConstraintBatch batch = new ConstraintBatch();
      batch.add(w, clip);
      assertArrayEquals(EDGES, w.toFloatArray(), 0f, "nothing happens before run()");
      long before = ScriptedFunction.calls();
      batch.run();
      assertEquals(1, ScriptedFunction.calls() - before);
      assertArrayEquals(reference, w.toFloatArray(), 0f);
      assertArrayEquals(new float[] {-1f, -1f, -1f, -0.5f, -0f, 0f, 0.99999994f, 1f, 1f, 1f, Float.NaN, -1f, 1f},
          w.toFloatArray(), 0f);
    }
  }

  @Test
  void weightsWithDifferentBoundsAndShapesTakeOneCallBetweenThem() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray kernel = m.create(new float[] {-2f, -0.25f, 0.3f, 0.9f, 4f, -0.6f}, new Shape(2, 3));
      kernel.setRequiresGradient(true);
      NDArray bias = m.create(new float[] {-0.2f, 0.2f, 0.75f});
      NDArray scale = m.create(new float[] {-5f, 2.5f});
      ConstraintBatch batch = new ConstraintBatch();
      batch.add(kernel, new Clip(-0.5, 0.5));
      batch.add(bias, new Clip(0, 0.125));
      batch.add(scale, new Clip(-4, 4));
      long before = ScriptedFunction.calls();
      batch.run();
      assertEquals(1, ScriptedFunction.calls() - before);
      assertArrayEquals(new float[] {-0.5f, -0.25f, 0.3f, 0.5f, 0.5f, -0.5f}, kernel.toFloatArray(), 0f);
      assertEquals(new Shape(2, 3), kernel.getShape());
      assertEquals(true, kernel.hasGradient(), "a trainable weight stays trainable");
      assertArrayEquals(new float[] {0f, 0.125f, 0.125f}, bias.toFloatArray(), 0f);
      assertArrayEquals(new float[] {-4f, 2.5f}, scale.toFloatArray(), 0f);
      // The batch is empty again: a second run changes nothing and calls nothing.
      kernel.setRequiresGradient(false);
      before = ScriptedFunction.calls();
      batch.run();
      assertEquals(0, ScriptedFunction.calls() - before);
    }
  }

  @Test
  void constraintsWithoutAnInPlaceFormProjectAtOnceWithApplysValues() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] raw = {3f, -4f, 0.5f, -0.5f};
      Constraint maxNorm = NormConstraint.maxNorm(1.0, 0);
      Clip clipAfterNonNeg = new Clip(-1, 1, new NonNeg(), null);
      assertNull(maxNorm.inPlaceStatement());
      assertNull(clipAfterNonNeg.inPlaceStatement());
      NDArray a = m.create(raw, new Shape(2, 2));
      NDArray b = m.create(raw);
      float[] expectedA = maxNorm.apply(m.create(raw, new Shape(2, 2))).toFloatArray();
      // Both columns have norms above 1, so max_norm changes every value.
      assertEquals(3f / (float) Math.sqrt(9.25), expectedA[0], 1e-6f);
      ConstraintBatch batch = new ConstraintBatch();
      long before = ScriptedFunction.calls();
      batch.add(a, maxNorm);
      batch.add(b, clipAfterNonNeg);
      assertArrayEquals(expectedA, a.toFloatArray(), 0f);
      assertArrayEquals(new float[] {1f, 0f, 0.5f, 0f}, b.toFloatArray(), 0f);
      batch.run();
      assertEquals(0, ScriptedFunction.calls() - before);
    }
  }

  @Test
  void withFusionOffAClipProjectsAtOnceWithTheSameValues() {
    boolean saved = ScriptedFunction.setEnabled(false);
    try (NDManager m = NDManager.newBaseManager()) {
      Clip clip = new Clip(-1, 1);
      NDArray w = m.create(EDGES);
      long before = ScriptedFunction.calls();
      ConstraintBatch batch = new ConstraintBatch();
      batch.add(w, clip);
      assertArrayEquals(clip.apply(m.create(EDGES)).toFloatArray(), w.toFloatArray(), 0f);
      batch.run();
      assertEquals(0, ScriptedFunction.calls() - before);
    } finally {
      ScriptedFunction.setEnabled(saved);
    }
  }

  @Test
  void aFloat64WeightTakesTheReferenceProjection() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.create(new double[] {-2.5, 0.25, 1.5});
      ConstraintBatch batch = new ConstraintBatch();
      long before = ScriptedFunction.calls();
      batch.add(w, new Clip(-1, 1));
      batch.run();
      assertEquals(0, ScriptedFunction.calls() - before);
      assertArrayEquals(new double[] {-1, 0.25, 1}, w.toDoubleArray(), 0);
    }
  }
}

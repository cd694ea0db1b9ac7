package org.qkeras4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.qkeras4j.engine.Scalars;

/**
 * A Keras loss: a per-sample value ({@link #perSample}) reduced as Keras's default
 * {@code SUM_OVER_BATCH_SIZE}: the (sample-weighted) sum divided by the number of values.
 */
public abstract class Loss {
  /** Keras's {@code backend.epsilon()}: probabilities are clipped to [EPSILON, 1 - EPSILON]. */
  public static final float EPSILON = 1e-7f;

  private final String name;

  protected Loss(String name) {
    this.name = name;
  }

  /** The Keras function name, e.g. {@code categorical_crossentropy}. */
  public String name() {
    return name;
  }

  /** True if targets are integer class indices rather than one row per sample. */
  public boolean sparseLabels() {
    return false;
  }

  /** The loss of each sample: the predictions' shape without its last axis. */
  public abstract NDArray perSample(NDArray yTrue, NDArray yPred);

  /**
   * The scalar batch loss: {@code sum(w_i * loss_i) / count}, where {@code sampleWeight} (one per
   * sample, or null for all ones) is broadcast over any extra axes, as Keras does.
   */
  public NDArray compute(NDArray yTrue, NDArray yPred, NDArray sampleWeight) {
    NDArray values = perSample(yTrue, yPred);
    long count = values.size();
    if (sampleWeight != null) {
      long[] dims = new long[values.getShape().dimension()];
      java.util.Arrays.fill(dims, 1);
      dims[0] = sampleWeight.size();
      values = values.mul(sampleWeight.reshape(new Shape(dims)));
    }
    return Scalars.div(values.sum(), count);
  }

  /** Keras {@code get_config()}: {@code name}, {@code reduction}, and subclass fields. */
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", name);
    config.put("reduction", "auto");
    return config;
  }

  /** The Keras class name, e.g. {@code CategoricalCrossentropy}. */
  public String className() {
    return getClass().getSimpleName();
  }

  /**
   * Targets of one rank less than predictions whose last axis is 1 (e.g. {@code [n]} against
   * {@code [n, 1]}) are reshaped to match, as Keras's squeeze_or_expand_dimensions does; other
   * shape mismatches fail naming the loss.
   */
  protected NDArray matchTargets(NDArray yTrue, NDArray yPred) {
    Shape t = yTrue.getShape();
    Shape p = yPred.getShape();
    if (t.equals(p)) {
      return yTrue;
    }
    if (t.size() == p.size() && Math.abs(t.dimension() - p.dimension()) == 1) {
      return yTrue.reshape(p);
    }
    throw new IllegalArgumentException(
        name + ": targets of shape " + t + " do not match predictions of shape " + p
            + (p.dimension() == t.dimension() + 1 ? " (integer labels need sparse_categorical_crossentropy)" : ""));
  }

  @Override
  public String toString() {
    return name;
  }
}

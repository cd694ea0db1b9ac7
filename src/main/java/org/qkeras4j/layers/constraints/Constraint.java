package org.qkeras4j.layers.constraints;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDScope;
import org.qkeras4j.layers.KerasObject;

/**
 * A Keras weight constraint: a projection applied to a weight after every optimizer step
 * ({@code w <- constraint(w)}).
 */
public interface Constraint extends KerasObject {

  /** The projected value (a new array; {@code w} is not modified). */
  NDArray apply(NDArray w);

  /** Writes {@link #apply}'s projection of {@code w} back into {@code w}. */
  default void projectInPlace(NDArray w) {
    try (NDScope ignored = new NDScope()) {
      NDArray projected = apply(w).stopGradient();
      w.set(new NDIndex("..."), projected);
    }
  }

  /**
   * A TorchScript statement that projects the float32 tensor {@code w} in place, with exactly the
   * values {@link #apply} gives, run where gradients are not recorded; null when this constraint
   * has none. A {@link ConstraintBatch} runs the statements of a whole model in one call: after each
   * optimizer step that saves a copy and several calls per weight.
   */
  default String inPlaceStatement() {
    return null;
  }
}

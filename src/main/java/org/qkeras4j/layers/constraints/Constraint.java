package org.qkeras4j.layers.constraints;

import ai.djl.ndarray.NDArray;
import org.qkeras4j.layers.KerasObject;

/**
 * A Keras weight constraint: a projection applied to a weight after every optimizer step
 * ({@code w <- constraint(w)}).
 */
public interface Constraint extends KerasObject {

  /** The projected value (a new array; {@code w} is not modified). */
  NDArray apply(NDArray w);

  /**
   * Projects {@code w} in place, with exactly the values {@link #apply} gives, and returns true;
   * or returns false, when this constraint has no in-place form, without touching {@code w}.
   * Layers try this first after each optimizer step: it saves a copy and several calls per weight.
   */
  default boolean applyInPlace(NDArray w) {
    return false;
  }
}

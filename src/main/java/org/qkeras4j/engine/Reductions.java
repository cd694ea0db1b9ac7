package org.qkeras4j.engine;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * Mean, maximum and minimum over several axes at once. DJL's PyTorch engine reduces max, min and
 * mean over one axis per call, so the maximum and minimum are taken one axis at a time and the
 * mean is a multi-axis sum divided by the count (which is also how PyTorch computes a CPU mean).
 *
 * <p>An empty axis list leaves {@code x} as it is, as Keras's reductions do ({@code K.max(x,
 * axis=[])}); PyTorch would reduce over every axis instead. Axes are non-negative.
 */
public final class Reductions {
  private Reductions() {}

  /** Mean over {@code axes}, as {@code sum / count}. */
  public static NDArray mean(NDArray x, int[] axes, boolean keepDims) {
    if (axes.length == 0) {
      return x;
    }
    long count = 1;
    for (int a : axes) {
      count *= x.getShape().get(a);
    }
    return Scalars.div(x.sum(axes, keepDims), count);
  }

  /** Maximum over {@code axes}. */
  public static NDArray max(NDArray x, int[] axes, boolean keepDims) {
    return oneAxisAtATime(x, axes, keepDims, true);
  }

  /** Minimum over {@code axes}. */
  public static NDArray min(NDArray x, int[] axes, boolean keepDims) {
    return oneAxisAtATime(x, axes, keepDims, false);
  }

  private static NDArray oneAxisAtATime(NDArray x, int[] axes, boolean keepDims, boolean max) {
    int[] sorted = axes.clone();
    Arrays.sort(sorted);
    NDArray y = x;
    // Highest axis first, so the remaining axis numbers stay valid when dimensions are dropped.
    for (int i = sorted.length - 1; i >= 0; i--) {
      int[] axis = {sorted[i]};
      y = max ? y.max(axis, keepDims) : y.min(axis, keepDims);
    }
    return y;
  }
}

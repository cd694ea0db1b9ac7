package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import org.qkeras4j.engine.Scalars;

/**
 * QKeras's rounding modes, written once: half to even (as {@code tf.round}), stochastic rounding
 * to integers or to a grid of step {@code precision} ({@code stochastic_round}), and the random
 * choice between the two powers of two around a value ({@code stochastic_round_po2}).
 *
 * <p>Stochastic rounding goes up with probability equal to the fractional part, so its mean is
 * the input. The uniform draws come from the engine's generator ({@code NDManager.randomUniform}),
 * so {@code Engines.seed(n)} makes a training step reproducible; TensorFlow's draws cannot be
 * reproduced. Methods returning rounded values carry no gradient; {@link #through} is the
 * straight-through version ({@code _round_through}).
 */
final class Rounding {
  private Rounding() {}

  /** Uniform draws in [0, 1) of {@code like}'s shape and dtype, owned by its manager. */
  static NDArray uniform(NDArray like) {
    return like.getManager().randomUniform(0f, 1f, like.getShape(), like.getDataType());
  }

  /**
   * {@code x} rounded to integers: half to even, or stochastically when {@code stochastic} (the
   * caller passes {@code use_stochastic_rounding && training}). No gradient.
   *
   * <p>QKeras's {@code _round_through} defaults to {@code precision=0.5} in the activation
   * quantizers, which leaves their grid; here stochastic rounding always gives integers, the grid
   * the deterministic path uses (see QKERAS_DIFFERENCES.md).
   */
  static NDArray toIntegers(NDArray x, boolean stochastic) {
    NDArray xd = x.stopGradient();
    if (!stochastic) {
      return xd.round();
    }
    NDArray floor = xd.floor();
    NDArray fraction = xd.sub(floor);
    return floor.add(uniform(xd).lt(fraction).toType(xd.getDataType(), false));
  }

  /**
   * {@code stochastic_round(x, precision)}: to multiples of {@code precision}; no gradient. Values
   * so large that the float grid is coarser than {@code precision} stay as they are (QKeras's
   * {@code x / precision} overflows near float's largest value and gives NaN).
   */
  static NDArray stochastic(NDArray x, double precision) {
    double steps = 1.0 / precision;
    NDArray xd = x.stopGradient();
    NDArray rounded = toIntegers(xd.mul(Scalars.of(xd, steps)), true).div(Scalars.of(xd, steps));
    double coarse = Math.scalb(precision, WorkPrecision.mantissaBits(xd.getDataType()));
    return NDArrays.where(xd.abs().lt(coarse), rounded, xd);
  }

  /** {@code _round_through}: {@link #toIntegers} in the forward pass, gradient 1. */
  static NDArray through(NDArray x, boolean stochastic) {
    return Ste.through(x, toIntegers(x, stochastic));
  }

  /** {@code _round_through(x, use_stochastic_rounding=True, precision)}: gradient 1. */
  static NDArray stochasticThrough(NDArray x, double precision) {
    return Ste.through(x, stochastic(x, precision));
  }

  /**
   * {@code stochastic_round_po2(y)}: the exponent {@code e} of {@code 2**e} bracketing
   * {@code |y|}, choosing the upper one with probability {@code (|y| - 2**lo) / (2**hi - 2**lo)}
   * so that the expected power is {@code |y|}. No gradient.
   */
  static NDArray stochasticPo2Exponent(NDArray y) {
    NDArray magnitude = y.stopGradient().abs();
    NDArray nearest = KerasOps.log2(magnitude.add(KerasOps.EPSILON)).round();
    NDArray above = KerasOps.pow2(nearest).gt(magnitude);
    NDArray lower = NDArrays.where(above, nearest.sub(1.0), nearest);
    NDArray upper = lower.add(1.0);
    NDArray low = KerasOps.pow2(lower);
    NDArray draw = low.add(KerasOps.pow2(upper).sub(low).mul(uniform(magnitude)));
    return NDArrays.where(magnitude.lt(draw), lower, upper);
  }
}

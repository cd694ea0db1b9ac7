package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import java.util.stream.IntStream;
import org.qkeras4j.engine.Reductions;
import org.qkeras4j.engine.Scalars;

/**
 * The Keras-backend operations QKeras's quantizers are written in, with Keras's conventions:
 * {@code K.epsilon() = 1e-7}, channels-last layouts, {@code K.std} as the population standard
 * deviation, {@code 2 ** round(log2(s))} computed as TensorFlow does. Reductions over several
 * axes are {@link Reductions}.
 */
final class KerasOps {
  /** {@code K.epsilon()}. */
  static final double EPSILON = 1e-7;

  static final double LN2 = Math.log(2.0);

  private KerasOps() {}

  /** All axes but the last (channels-last): the axes QKeras reduces over for a per-channel value. */
  static int[] allButLast(int ndim) {
    return IntStream.range(0, Math.max(ndim - 1, 0)).toArray();
  }

  /**
   * The axes QKeras reduces over for a per-channel statistic such as a maximum or a standard
   * deviation: all axes of a vector (one value for it), else all but the last.
   */
  static int[] channelAxes(int ndim) {
    return ndim == 1 ? new int[] {0} : allButLast(ndim);
  }

  /** {@code K.std(x, axis, keepdims=True)}: square root of the mean squared deviation. */
  static NDArray std(NDArray x, int[] axes) {
    if (axes.length == 0) {
      return x.zerosLike();
    }
    return Reductions.mean(x.sub(Reductions.mean(x, axes, true)).square(), axes, true).sqrt();
  }

  /**
   * {@code tf.sign(x)} with zeros mapped to +1, as QKeras writes {@code s += 1 - |s|}: here
   * {@code s + (s == 0)}, the same values in one pass fewer (PyTorch's sign of NaN is 0, so NaN
   * maps to +1 either way).
   */
  static NDArray signZeroPositive(NDArray x) {
    NDArray s = x.sign();
    return s.add(s.eq(0.0).toType(s.getDataType(), false));
  }

  /**
   * {@code (signZeroPositive(x) + 1) / 2}, QKeras's {@code x >= 0} pattern as 1 and 0, in fewer
   * passes: 1 unless {@code x < 0} (NaN counts as 1, as PyTorch's sign of NaN is 0).
   */
  static NDArray notNegative(NDArray x) {
    return x.lt(Scalars.of(x, 0.0)).logicalNot().toType(x.getDataType(), false);
  }

  /** {@code log(x) / log(2)} as TensorFlow computes it (natural log, then a division). */
  static NDArray log2(NDArray x) {
    return x.log().div(Scalars.of(x, LN2));
  }

  /** {@code 2 ** e} elementwise, in {@code e}'s type (exact for integral {@code e}). */
  static NDArray pow2(NDArray exponent) {
    return NDArrays.pow(2.0, exponent).toType(exponent.getDataType(), false);
  }

  /**
   * {@code 2 ** round(log2(scale + eps))}: the nearest power of two QKeras's {@code auto_po2}
   * scales snap to (rounding half to even, as {@code tf.math.round}), at most the type's largest
   * power of two (where QKeras's 2^128 is inf in float32).
   */
  static NDArray nearestPowerOfTwo(NDArray scale) {
    return pow2(log2(scale.add(Scalars.of(scale, EPSILON))).round().minimum(Scalars.of(scale, largestExponent(scale.getDataType()))));
  }

  /** The exponent of the largest power of two of a floating type: 127 for float32. */
  static int largestExponent(DataType type) {
    return Math.getExponent(type == DataType.FLOAT64 ? Double.MAX_VALUE : Float.MAX_VALUE);
  }

  /**
   * True when two small arrays hold the same values (reads one value to the host): an iteration
   * whose next step depends only on this value has reached its fixed point.
   */
  static boolean sameValues(NDArray a, NDArray b) {
    return a.eq(b).all().getBoolean();
  }

  /** True when every element is finite (a small array: this reads one value to the host). */
  static boolean allFinite(NDArray x) {
    return !x.isInfinite().logicalOr(x.isNaN()).any().getBoolean();
  }

  /**
   * Keras's {@code K.relu(x, alpha=negativeSlope, max_value=maxValue)} as QKeras's quantizers
   * use it: a (leaky) ReLU whose gradient is 0 at 0 without a slope and the slope with one (as
   * {@code tf.nn.relu} and {@code tf.nn.leaky_relu}), capped at {@code maxValue} (null: no cap)
   * with gradient 0 where {@code x > maxValue}.
   */
  static NDArray relu(NDArray x, double negativeSlope, Double maxValue) {
    NDArray relu = negativeSlope == 0 ? Activation.relu(x) : Activation.leakyRelu(x, (float) negativeSlope);
    if (maxValue == null) {
      return relu;
    }
    // One clamp instead of where(x <= max, relu, max): the same values for every non-NaN input and
    // the same gradient (clamp passes it at x == max, as the where's relu branch does).
    return relu.clip(Double.NEGATIVE_INFINITY, maxValue);
  }

  /**
   * The derivative of {@link #relu} without a slope, as TensorFlow takes it: 1 where {@code 0 < x
   * <= maxValue} (no upper limit for a null {@code maxValue}), 0 elsewhere, NaN included; in
   * {@code x}'s type, for detached {@code x}. (ReLU's gradient is 0 at 0, the cap passes it at
   * {@code x == maxValue}.)
   */
  static NDArray reluDerivative(NDArray x, Double maxValue) {
    NDArray positive = x.gt(Scalars.of(x, 0.0));
    if (maxValue != null) {
      NDArray below = x.lte(Scalars.of(x, maxValue));
      NDArray both = positive.logicalAnd(below);
      positive.close();
      below.close();
      positive = both;
    }
    NDArray derivative = positive.toType(x.getDataType(), false);
    positive.close();
    return derivative;
  }

  /** {@code x * factor}, without a pass over {@code x} when the factor is 1 ({@code 2^integer} often is). */
  static NDArray times(NDArray x, double factor) {
    return factor == 1.0 ? x : x.mul(Scalars.of(x, factor));
  }

  /** {@code x / divisor}, without a pass over {@code x} when the divisor is 1. */
  static NDArray over(NDArray x, double divisor) {
    return divisor == 1.0 ? x : x.div(Scalars.of(x, divisor));
  }

  /** An array of {@code x}'s shape and dtype filled with {@code value}. */
  static NDArray full(NDArray x, double value) {
    if ((float) value == value) {
      return x.getManager().full(x.getShape(), (float) value, x.getDataType());
    }
    return x.zerosLike().add(value);
  }

  /**
   * Flushes subnormal float32 values to zero, as TensorFlow's CPU kernels do: QKeras's
   * {@code 2 ** -128} is 0 there, and the upstream tests expect that.
   */
  static NDArray flushSubnormals(NDArray x) {
    if (x.getDataType() != DataType.FLOAT32) {
      return x;
    }
    return NDArrays.where(x.abs().lt(Float.MIN_NORMAL), x.zerosLike(), x);
  }
}

package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import org.qkeras4j.engine.Scalars;
import org.qkeras4j.engine.ScriptedFunction;

/**
 * The exponent arithmetic shared by {@code quantized_po2} and {@code quantized_relu_po2}
 * (QKeras's {@code _need_exponent_sign_bit_check}, {@code _get_min_max_exponents} and
 * {@code _clip_power_of_two}).
 */
final class PowerOfTwo {
  static final String ROUND = "rnd";
  static final String FLOOR = "floor";

  private PowerOfTwo() {}

  /** The exponent range {@code [min, max]} a quantizer may produce. */
  record ExponentRange(double min, double max) {}

  /**
   * 1 when the exponent needs a sign bit: without {@code max_value} the range is unknown, and a
   * {@code max_value} above 1 allows positive exponents next to negative ones.
   */
  static int exponentSignBit(Double maxValue) {
    return maxValue == null || maxValue > 1 ? 1 : 0;
  }

  /**
   * The range of an exponent field of {@code exponentBits} bits (sign bit included when {@code
   * exponentSignBit} is 1): {@code [-2**e, 2**e - 1]} with {@code e = exponentBits -
   * exponentSignBit}; the quadratic approximation keeps the largest exponent even.
   */
  static ExponentRange range(int exponentBits, int exponentSignBit, boolean quadraticApproximation) {
    int effective = exponentBits - exponentSignBit;
    double min = -Math.pow(2, effective);
    double max = Math.pow(2, effective) - 1;
    if (quadraticApproximation) {
      max = 2 * Math.floor(max / 2);
    }
    return new ExponentRange(min, max);
  }

  /**
   * The clipped exponent of non-negative {@code magnitude} ({@code _clip_power_of_two}): inputs
   * below {@code K.epsilon()} take the smallest exponent, inputs at or above {@code maxValue} count
   * as {@code maxValue}, the exponent is log2 rounded (or floored, or stochastically rounded) and
   * clipped to the range; with the quadratic approximation the exponent of the square root is
   * rounded and doubled; exponents the work type cannot hold (2^128 in float32) saturate at its
   * largest power of two. No gradient: QKeras only uses it inside {@code stop_gradient}.
   */
  static NDArray exponent(
      NDArray magnitude,
      ExponentRange range,
      Double maxValue,
      boolean quadraticApproximation,
      boolean stochastic,
      String log2Rounding) {
    NDArray tiny = magnitude.lt(Scalars.of(magnitude, KerasOps.EPSILON));
    // max(|x|, eps) and min(., max_value): QKeras writes both with tf.where, to the same values.
    NDArray filtered = magnitude.maximum(Scalars.of(magnitude, KerasOps.EPSILON));
    if (maxValue != null) {
      filtered = filtered.minimum(Scalars.of(filtered, maxValue));
    }
    NDArray input = quadraticApproximation ? filtered.sqrt() : filtered;
    NDArray log2;
    if (FLOOR.equals(log2Rounding)) {
      log2 = KerasOps.log2(input).floor();
    } else if (stochastic) {
      log2 = Rounding.stochasticPo2Exponent(input);
    } else {
      log2 = KerasOps.log2(input).round();
    }
    // 2^128 and above overflow float32 (QKeras gives inf): saturate at the largest power of two.
    int largest = KerasOps.largestExponent(magnitude.getDataType());
    NDArray clipped;
    if (quadraticApproximation) {
      clipped = log2.clip(range.min(), range.max()).mul(Scalars.of(log2, 2.0));
      if (2 * range.max() > largest) {
        clipped = clipped.minimum(Scalars.of(clipped, largest));
      }
    } else {
      clipped = log2.clip(range.min(), Math.min(range.max(), largest));
    }
    return NDArrays.where(tiny, KerasOps.full(magnitude, range.min()), clipped);
  }

  /**
   * {@link #exponent} then {@link #value} for a float32 magnitude, as TorchScript lines that read
   * the non-negative magnitude {@code m} and leave the power of two in {@code p}: the same
   * operations in the same order, for the deterministic case without the quadratic approximation
   * (null for the others). Fused quantizers build their bodies from it.
   */
  static String valueScript(ExponentRange range, Double maxValue, boolean quadraticApproximation, String log2Rounding) {
    if (quadraticApproximation || !(ROUND.equals(log2Rounding) || FLOOR.equals(log2Rounding))) {
      return null;
    }
    String eps = ScriptedFunction.literal(KerasOps.EPSILON);
    String epsTensor = ScriptedFunction.float32(KerasOps.EPSILON);
    String min = ScriptedFunction.literal(range.min());
    String max = ScriptedFunction.literal(Math.min(range.max(), KerasOps.largestExponent(DataType.FLOAT32)));
    StringBuilder lines = new StringBuilder()
        .append("tiny = m < ").append(epsTensor).append('\n')
        .append("f = torch.clamp_min(m, ").append(eps).append(")\n");
    if (maxValue != null) {
      lines.append("f = torch.clamp_max(f, ").append(ScriptedFunction.literal(maxValue)).append(")\n");
    }
    lines.append("l = torch.").append(FLOOR.equals(log2Rounding) ? "floor" : "round")
        .append("(torch.log(f) / ").append(ScriptedFunction.float32(KerasOps.LN2)).append(")\n")
        .append("e = torch.where(tiny, torch.full_like(m, ").append(min).append("), torch.clamp(l, ")
        .append(min).append(", ").append(max).append("))\n")
        .append("p = torch.pow(2.0, e)\n");
    if (range.min() < Math.getExponent(Float.MIN_NORMAL)) {
      lines.append("p = torch.where(p.abs() < ").append(ScriptedFunction.float32(Float.MIN_NORMAL))
          .append(", torch.zeros_like(p), p)\n");
    }
    return lines.toString();
  }

  /**
   * {@code 2 ** exponent} for exponents from {@code range}, with float32 subnormals flushed to zero
   * as TensorFlow does (only ranges reaching below 2^-126 can produce them).
   */
  static NDArray value(NDArray exponent, ExponentRange range) {
    NDArray power = KerasOps.pow2(exponent);
    return range.min() < Math.getExponent(Float.MIN_NORMAL) ? KerasOps.flushSubnormals(power) : power;
  }
}

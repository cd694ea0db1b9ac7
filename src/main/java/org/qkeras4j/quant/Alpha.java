package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Objects;

/**
 * QKeras's {@code alpha} argument: no scaling, a fixed scale (one value or one per channel along
 * the last axis), or a keyword asking for a scale computed from the data ({@code 'auto'}, {@code
 * 'auto_po2'}).
 *
 * <p>The literal the user wrote is kept, so that {@code alpha=1} prints and saves as {@code 1}
 * and {@code alpha=1.0} as {@code 1.0}, as QKeras's {@code str(self.alpha)} does; equality
 * follows Python's {@code ==} ({@code 1 == 1.0}).
 */
public final class Alpha {
  /** The keyword for a scale estimated from the data. */
  public static final String AUTO = "auto";
  /** The keyword for a power-of-two scale estimated from the data. */
  public static final String AUTO_PO2 = "auto_po2";

  private final String keyword;
  private final double[] fixed;
  private final Object literal;

  private Alpha(String keyword, double[] fixed, Object literal) {
    this.keyword = keyword;
    this.fixed = fixed;
    this.literal = literal;
  }

  /** {@code alpha=None}. */
  public static Alpha none() {
    return new Alpha(null, null, null);
  }

  /** {@code alpha='auto'} or another keyword. */
  public static Alpha keyword(String k) {
    return new Alpha(Objects.requireNonNull(k, "keyword"), null, k);
  }

  /** A fixed scale: one value, or one per last-axis channel. */
  public static Alpha fixed(double[] values) {
    double[] v = values.clone();
    Object literal = v.length == 1 ? (Object) v[0] : Arrays.stream(v).boxed().toList();
    return new Alpha(null, v, literal);
  }

  /**
   * A fixed scale as the user wrote it ({@code 1}, {@code 2.0} or a list of such numbers); the
   * values must already be checked to be positive and finite.
   */
  static Alpha fixedAsWritten(double[] values, Object literal) {
    return new Alpha(null, values.clone(), PyLiteral.normalized(literal));
  }

  public boolean isNone() {
    return keyword == null && fixed == null;
  }

  public boolean isKeyword(String k) {
    return k.equals(keyword);
  }

  /** True for {@code auto} and {@code auto_po2}: the scale depends on the data. */
  public boolean isAuto() {
    return keyword != null && keyword.startsWith(AUTO);
  }

  /** {@code 'auto_po2'}: the estimated scale is snapped to a power of two. */
  public boolean isPo2() {
    return isKeyword(AUTO_PO2);
  }

  public String keyword() {
    return keyword;
  }

  /** The fixed scale values, or null. */
  public double[] fixedValues() {
    return fixed == null ? null : fixed.clone();
  }

  /** True for None and for one fixed value of 1: outputs are not scaled. */
  public boolean isUnit() {
    return isNone() || (fixed != null && fixed.length == 1 && fixed[0] == 1.0);
  }

  /**
   * QKeras's {@code max(1.0, alpha)}, as its binary and ternary quantizers report {@code max()}:
   * 1 for None and automatic alphas, else the largest fixed value if that is above 1.
   */
  double maxWithOne() {
    return fixed == null ? 1.0 : Math.max(1.0, Arrays.stream(fixed).max().orElse(1.0));
  }

  /**
   * Whether the fixed values suit an input of this shape: one value for any input, or one per
   * channel of the last axis (a rank-0 input has one channel).
   */
  boolean fitsChannels(Shape shape) {
    return fixed.length == 1 || fixed.length == channels(shape);
  }

  /**
   * Fails unless the fixed values suit an input of this shape ({@link #fitsChannels}): the one
   * error every quantizer with a per-channel alpha gives.
   */
  void requireFitsChannels(Shape shape, String quantizer) {
    if (!fitsChannels(shape)) {
      throw new IllegalArgumentException(quantizer + ": alpha has " + fixed.length + " values, one per channel, but the"
          + " input's last axis has " + channels(shape) + " channels (input shape " + shape + ")");
    }
  }

  /** The number of channels of an input: the size of its last axis, 1 for a scalar. */
  static long channels(Shape shape) {
    return shape.dimension() == 0 ? 1 : shape.get(shape.dimension() - 1);
  }

  /**
   * The fixed scale as an array broadcasting against {@code x} (one value, or one per channel
   * along the last axis), or null when alpha is None or automatic.
   *
   * @param quantizer names the quantizer when the values do not match the channels
   */
  NDArray fixedScale(NDArray x, String quantizer) {
    if (fixed == null) {
      return null;
    }
    requireFitsChannels(x.getShape(), quantizer);
    return x.getManager().create(fixed).toType(x.getDataType(), false);
  }

  /**
   * How the scale is chosen, for a quantizer whose automatic modes are described by {@code
   * automatic}: {@code fixed (unit)}, {@code fixed (2.0)}, {@code fixed per channel ([1.0, 2.0])},
   * or {@code automatic} followed by the alpha, e.g. {@code ... (alpha='auto_po2')}.
   */
  String describe(String automatic) {
    if (isNone()) {
      return "fixed (unit)";
    }
    if (isAuto()) {
      return automatic + " (alpha=" + text() + ")";
    }
    return (fixed.length == 1 ? "fixed (" : "fixed per channel (") + text() + ")";
  }

  /** The config value: null, the keyword, a number or a list of numbers, as written. */
  public Object toConfig() {
    return literal;
  }

  /** {@code str(self.alpha)} as QKeras's {@code __str__} methods write it, strings quoted. */
  String text() {
    return PyLiteral.format(literal);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Alpha a && Objects.equals(keyword, a.keyword) && Arrays.equals(fixed, a.fixed);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyword, Arrays.hashCode(fixed));
  }

  /** The Python literal: {@code None}, {@code 'auto_po2'}, {@code 2.0}, {@code [1.0, 2.0]}. */
  @Override
  public String toString() {
    return text();
  }
}

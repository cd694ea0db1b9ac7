package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import java.util.Optional;

/**
 * A QKeras quantizer: one object holds the fake-quantized forward pass, its straight-through
 * gradient and the description that accounting tools and integer deployment need.
 *
 * <p>Implementations are immutable values (equal when their class name and config are equal),
 * except for the scale computed by the last call when {@code alpha} is {@code 'auto'} or
 * {@code 'auto_po2'}, which QKeras also keeps on the quantizer after a call.
 *
 * <p>To add a quantizer of your own, implement this interface (usually by extending {@link
 * AbstractQuantizer}) and register a factory with {@link QuantizerRegistry#register}; the name
 * then works in quantizer strings and configs like a built-in one.
 */
public interface Quantizer {

  /** The name QKeras registers this quantizer under, e.g. {@code quantized_bits}. */
  String name();

  /**
   * Fake-quantizes {@code x}: the result has the dtype and shape of {@code x}, holds quantized
   * values, and carries the straight-through gradient QKeras defines for this quantizer.
   *
   * @param training true in a training step; stochastic quantizers draw random numbers only then
   */
  NDArray apply(NDArray x, boolean training);

  /** Inference-mode application. */
  default NDArray apply(NDArray x) {
    return apply(x, false);
  }

  /** Total number of bits of a quantized value (sign included). */
  int bits();

  /** Bits to the left of the binary point, excluding the sign bit, as QKeras counts them. */
  int integerBits();

  /** Whether quantized values can be negative. */
  boolean signed();

  /** Smallest value this quantizer can output (with unit scale). */
  double min();

  /** Largest value this quantizer can output (with unit scale). */
  double max();

  /** All values the quantizer can output, where QKeras defines {@code range()}. */
  default Optional<double[]> range() {
    return Optional.empty();
  }

  /**
   * The scale computed by the last call when {@code alpha} is automatic (per channel, shaped to
   * broadcast against the input), or empty when the scale is fixed or no call happened yet.
   */
  default Optional<double[]> lastScale() {
    return Optional.empty();
  }

  /**
   * The shape of {@link #lastScale()} (ones on the axes the scale is shared over, as QKeras keeps
   * it with {@code keepdims}), or empty when there is no last scale.
   */
  default Optional<long[]> lastScaleShape() {
    return Optional.empty();
  }

  /**
   * How the quantizer scales its values, in words, for people reading a description: {@code fixed
   * (unit)} for a quantizer without {@code alpha}, a fixed alpha, or how an automatic scale is
   * computed from the data (over which axes, from what statistic, with what rounding).
   */
  default String scaleDescription() {
    return "fixed (unit)";
  }

  /** True when {@link #apply(NDArray, boolean)} draws random numbers in training mode. */
  default boolean isStochastic() {
    return false;
  }

  /**
   * How quantized values map to integers for integer-only deployment, when the quantizer is
   * affine ({@code value = scale * (integer - zeroPoint)}).
   */
  default Optional<IntegerSpec> integerSpec() {
    return Optional.empty();
  }

  /**
   * What {@link #apply(NDArray, boolean)} computes on a {@code dtype} input, as the body of a
   * TorchScript function of {@code x: Tensor} (statements, one per line, ending in a {@code
   * return}; see {@link org.qkeras4j.engine.ScriptedFunction}), or null when it has no such form
   * for these settings. The body must give the same values and gradients as {@code apply}, and
   * {@code apply} must do nothing else (keep no scale, draw no random numbers): layers compose
   * these bodies into one fused call (QDense quantizes its kernel and bias and multiplies in one).
   */
  default String fusedBody(DataType dtype, boolean training) {
    return null;
  }

  /**
   * The constructor arguments under their QKeras names, holding only JSON-ready values (Number,
   * Boolean, String, List, null); {@link Quantizers#fromConfig} rebuilds an equal quantizer.
   */
  Map<String, Object> getConfig();

  /** The QKeras string form, e.g. {@code quantized_bits(4,0,1,alpha='auto_po2')}; parses back. */
  @Override
  String toString();
}

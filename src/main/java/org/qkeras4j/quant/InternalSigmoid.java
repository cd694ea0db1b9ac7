package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import java.util.Locale;
import org.qkeras4j.engine.Scalars;

/**
 * The sigmoid approximation that QKeras uses inside its stochastic and sigmoid-based quantizers,
 * chosen process-wide by {@code set_internal_sigmoid(mode)}; the default is {@code hard}.
 */
public enum InternalSigmoid {
  /** {@code clip(0.5 x + 0.5, 0, 1)}. */
  HARD,
  /** {@code clip(0.1875 x + 0.5, 0, 1)}, cheap in hardware: {@code (x >> 3) + (x >> 4) + 0.5}. */
  SMOOTH,
  /** The real logistic function. */
  REAL;

  private static volatile InternalSigmoid current = HARD;

  /** QKeras's {@code set_internal_sigmoid}: {@code 'hard'}, {@code 'smooth'} or {@code 'real'}. */
  public static void set(String mode) {
    current = parse(mode);
  }

  /** Sets the process-wide mode. */
  public static void set(InternalSigmoid mode) {
    current = mode;
  }

  /** The process-wide mode. */
  public static InternalSigmoid current() {
    return current;
  }

  /** Reads {@code hard}, {@code smooth} or {@code real}. */
  public static InternalSigmoid parse(String mode) {
    if (mode != null) {
      switch (mode.toLowerCase(Locale.ROOT)) {
        case "hard":
          return HARD;
        case "smooth":
          return SMOOTH;
        case "real":
          return REAL;
        default:
          break;
      }
    }
    throw new IllegalArgumentException("internal sigmoid mode must be 'real', 'hard' or 'smooth', got '" + mode + "'");
  }

  /** Applies this sigmoid (differentiably). */
  public NDArray apply(NDArray x) {
    return switch (this) {
      case HARD -> x.mul(Scalars.of(x, 0.5)).add(0.5).clip(0.0, 1.0);
      case SMOOTH -> x.mul(Scalars.of(x, 0.1875)).add(0.5).clip(0.0, 1.0);
      case REAL -> x.getNDArrayInternal().sigmoid();
    };
  }

  /** Applies the process-wide sigmoid. */
  public static NDArray applyCurrent(NDArray x) {
    return current.apply(x);
  }
}

package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.qkeras4j.engine.Scalars;

/**
 * QKeras's plain activation functions, usable wherever a quantizer is: the piecewise-linear
 * {@code hard_sigmoid} and {@code smooth_sigmoid}, their rounded {@code binary_sigmoid}, and the
 * {@code *_tanh} counterparts ({@code 2 sigmoid(x) - 1}).
 */
public final class ApproxActivation extends AbstractQuantizer {

  /** The six functions. */
  public enum Kind {
    SMOOTH_SIGMOID("smooth_sigmoid"),
    HARD_SIGMOID("hard_sigmoid"),
    BINARY_SIGMOID("binary_sigmoid"),
    SMOOTH_TANH("smooth_tanh"),
    HARD_TANH("hard_tanh"),
    BINARY_TANH("binary_tanh");

    final String qkerasName;

    Kind(String qkerasName) {
      this.qkerasName = qkerasName;
    }

    boolean isTanh() {
      return this == SMOOTH_TANH || this == HARD_TANH || this == BINARY_TANH;
    }

    boolean isBinary() {
      return this == BINARY_SIGMOID || this == BINARY_TANH;
    }
  }

  private final Kind kind;

  public ApproxActivation(Kind kind) {
    this.kind = kind;
  }

  static void register() {
    for (Kind k : Kind.values()) {
      QuantizerRegistry.builtin(k.qkerasName, Signature.builder(), args -> new ApproxActivation(k));
    }
  }

  @Override
  public String name() {
    return kind.qkerasName;
  }

  @Override
  public NDArray apply(NDArray x, boolean training) {
    NDArray s = switch (kind) {
      case SMOOTH_SIGMOID, SMOOTH_TANH -> InternalSigmoid.SMOOTH.apply(x);
      default -> InternalSigmoid.HARD.apply(x);
    };
    if (kind.isBinary()) {
      s = Ste.round(s);
    }
    return kind.isTanh() ? s.mul(Scalars.of(s, 2.0)).sub(1.0) : s;
  }

  @Override
  public int bits() {
    return kind.isBinary() ? 1 : 32;
  }

  @Override
  public int integerBits() {
    return kind.isBinary() ? 1 : 0;
  }

  @Override
  public boolean signed() {
    return kind.isTanh();
  }

  @Override
  public double min() {
    return kind.isTanh() ? -1.0 : 0.0;
  }

  @Override
  public double max() {
    return 1.0;
  }

  @Override
  public Map<String, Object> getConfig() {
    return Map.of();
  }

  @Override
  public String toString() {
    return kind.qkerasName;
  }
}

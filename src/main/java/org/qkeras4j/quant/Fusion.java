package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Optional;
import org.qkeras4j.engine.ScriptedFunction;

/** A quantizer's fused path: its {@link Quantizer#fusedBody} run as one TorchScript call. */
final class Fusion {
  private Fusion() {}

  /**
   * A quantizer's {@link Quantizer#fusedBody}: {@code body} (built from its settings, null when
   * they have no fused form) for float32 input, unless {@code q} draws random numbers in training.
   */
  static String bodyFor(Quantizer q, String body, DataType dtype, boolean training) {
    return body != null && dtype == DataType.FLOAT32 && !(training && q.isStochastic()) ? body : null;
  }

  /**
   * Codes up to this magnitude are integers exactly in float32 once {@link #ROUNDING_OFFSET} is
   * added: its neighbours are one apart there.
   */
  static final double MAX_GRID_CODE = 0x1p22;

  /** 1.5 * 2^23: adding it to a float32 of magnitude at most 2^22 rounds that value to an integer. */
  private static final double ROUNDING_OFFSET = 0x1.8p23;

  /**
   * Whether {@link #roundToGrid} takes this grid: {@code scale} a power of two within 2^±60 (so
   * {@code offset / scale} stays a float32) and codes of magnitude at most {@code largestCode}
   * within {@link #MAX_GRID_CODE}.
   */
  static boolean roundsOnGrid(double scale, double largestCode) {
    return scale == Math.scalb(1.0, Math.getExponent(scale)) && Math.abs(Math.getExponent(scale)) <= 60
        && largestCode <= MAX_GRID_CODE;
  }

  /**
   * TorchScript lines that turn the float32 tensor {@code q}, in place, into {@code
   * clamp(round(q * scale), lo, hi) / scale}, with the value of those three operations
   * (round half to even, NaN stays NaN, infinities clamp) in two or three passes instead of four.
   *
   * <p>How: float32 addition rounds to nearest even, and next to 1.5 * 2^23 the float32 values are
   * the integers, so {@code offset + scale * q} is the offset plus the rounded code; clamping it
   * between {@code offset + lo} and {@code offset + hi} clamps the code, and {@code (t - offset) /
   * scale} is exact. {@code scale} must be a power of two (so multiplying by it or its inverse is
   * exact) and {@code lo}, {@code hi} integers of magnitude at most {@link #MAX_GRID_CODE}; a
   * product beyond that range still lands beyond the bounds, so it clamps as the code would.
   * Without bounds (both null) the caller guarantees {@code |q * scale| <= MAX_GRID_CODE}.
   */
  static String roundToGrid(String q, double scale, Double lo, Double hi) {
    double largestCode = lo == null ? 0 : Math.max(-lo, hi);
    if (!roundsOnGrid(scale, largestCode)) {
      throw new IllegalArgumentException("the grid needs a power-of-two scale within 2^±60 and codes of magnitude"
          + " at most 2^22, got scale " + scale + " and codes up to " + largestCode);
    }
    StringBuilder lines = new StringBuilder()
        .append("torch.add(").append(ScriptedFunction.float32(ROUNDING_OFFSET)).append(", ").append(q)
        .append(", alpha=").append(ScriptedFunction.literal(scale)).append(", out=").append(q).append(")\n");
    if (lo != null) {
      lines.append(q).append(".clamp_(").append(ScriptedFunction.literal(ROUNDING_OFFSET + lo)).append(", ")
          .append(ScriptedFunction.literal(ROUNDING_OFFSET + hi)).append(")\n");
    }
    return lines.append("torch.add(").append(ScriptedFunction.float32(-ROUNDING_OFFSET / scale)).append(", ").append(q)
        .append(", alpha=").append(ScriptedFunction.literal(1 / scale)).append(", out=").append(q).append(")\n")
        .toString();
  }

  /**
   * {@code q} applied to {@code x} in one fused call, or null when {@code q} has no fused body for
   * this input or fusion is off: the caller then takes its reference operations.
   */
  static NDArray applyOrNull(Quantizer q, NDArray x, boolean training) {
    String body = q.fusedBody(x.getDataType(), training);
    if (body == null) {
      return null;
    }
    Optional<ScriptedFunction> fused = ScriptedFunction.compile("x: Tensor", body);
    return fused.isPresent() ? fused.get().apply(x) : null;
  }
}

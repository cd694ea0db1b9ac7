package org.qkeras4j.layers.constraints;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.qkeras4j.engine.ScriptedFunction;
import org.qkeras4j.quant.Quantizer;

/**
 * QKeras's {@code Clip(min_value=0, max_value=1, constraint=None, quantizer=None)}: clips weights
 * into [min_value, max_value]. When an inner constraint is given it is applied first, followed by
 * the quantizer if there is one (QKeras applies the quantizer only together with a constraint).
 * Like QKeras, the config holds only {@code min_value} and {@code max_value}.
 */
public final class Clip implements Constraint {
  private final double minValue;
  private final double maxValue;
  private final Constraint constraint;
  private final Quantizer quantizer;
  /** The in-place clamp; null when this clip has none (see inPlaceStatement). */
  private final String inPlaceStatement;

  public Clip(double minValue, double maxValue, Constraint constraint, Quantizer quantizer) {
    this.minValue = minValue;
    this.maxValue = maxValue;
    // As in QKeras, a Clip never wraps another Clip.
    this.constraint = constraint instanceof Clip ? null : constraint;
    this.quantizer = quantizer;
    this.inPlaceStatement = this.constraint != null || !Double.isFinite(minValue) || !Double.isFinite(maxValue) ? null
        : "w.clamp_(" + ScriptedFunction.literal(minValue) + ", " + ScriptedFunction.literal(maxValue) + ")";
  }

  public Clip(double minValue, double maxValue) {
    this(minValue, maxValue, null, null);
  }

  public double minValue() {
    return minValue;
  }

  public double maxValue() {
    return maxValue;
  }

  @Override
  public NDArray apply(NDArray w) {
    NDArray v = w;
    if (constraint != null) {
      v = constraint.apply(v);
      if (quantizer != null) {
        v = quantizer.apply(v, false);
      }
    }
    return v.clip(minValue, maxValue);
  }

  /** A plain clip (no inner constraint, finite bounds) is one in-place clamp. */
  @Override
  public String inPlaceStatement() {
    return inPlaceStatement;
  }

  @Override
  public String className() {
    return "Clip";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("min_value", minValue);
    c.put("max_value", maxValue);
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Clip c && c.minValue == minValue && c.maxValue == maxValue
        && Objects.equals(c.constraint, constraint) && Objects.equals(c.quantizer, quantizer);
  }

  @Override
  public int hashCode() {
    return Objects.hash(minValue, maxValue, constraint, quantizer);
  }

  @Override
  public String toString() {
    return "Clip" + getConfig();
  }
}

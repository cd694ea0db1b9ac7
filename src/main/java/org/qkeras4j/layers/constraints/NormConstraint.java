package org.qkeras4j.layers.constraints;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.qkeras4j.engine.Scalars;

/**
 * Keras's norm constraints, which rescale each slice of the weight along {@code axis} so that its
 * L2 norm lands in a range: {@code MaxNorm(max_value=2, axis=0)}, {@code UnitNorm(axis=0)} and
 * {@code MinMaxNorm(min_value=0, max_value=1, rate=1, axis=0)}. As in Keras, the norm is
 * {@code sqrt(sum(w^2 over axis))} and the factor {@code desired / (epsilon + norm)} with
 * epsilon = 1e-7.
 */
public final class NormConstraint implements Constraint {
  private static final double EPSILON = 1e-7;

  private final String className;
  private final double minValue;
  private final double maxValue;
  private final double rate;
  private final int[] axes;

  private NormConstraint(String className, double minValue, double maxValue, double rate, int[] axes) {
    if (minValue < 0 || maxValue < minValue) {
      throw new IllegalArgumentException(
          className + ": need 0 <= min_value <= max_value, got min_value=" + minValue + ", max_value=" + maxValue);
    }
    this.className = className;
    this.minValue = minValue;
    this.maxValue = maxValue;
    this.rate = rate;
    this.axes = axes.clone();
  }

  public static NormConstraint maxNorm(double maxValue, int... axes) {
    return new NormConstraint("MaxNorm", 0, maxValue, 1.0, axes);
  }

  public static NormConstraint unitNorm(int... axes) {
    return new NormConstraint("UnitNorm", 1, 1, 1.0, axes);
  }

  public static NormConstraint minMaxNorm(double minValue, double maxValue, double rate, int... axes) {
    return new NormConstraint("MinMaxNorm", minValue, maxValue, rate, axes);
  }

  @Override
  public NDArray apply(NDArray w) {
    int rank = w.getShape().dimension();
    int[] a = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      a[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
    }
    NDArray norms = w.square().sum(a, true).sqrt();
    NDArray desired = switch (className) {
      case "UnitNorm" -> null;
      case "MaxNorm" -> norms.clip(0, maxValue);
      default -> Scalars.mul(norms.clip(minValue, maxValue), rate).add(Scalars.mul(norms, 1 - rate));
    };
    NDArray denominator = norms.add(EPSILON);
    return desired == null ? w.div(denominator) : w.mul(desired.div(denominator));
  }

  @Override
  public String className() {
    return className;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    if (className.equals("MinMaxNorm")) {
      c.put("min_value", minValue);
    }
    if (!className.equals("UnitNorm")) {
      c.put("max_value", maxValue);
    }
    if (className.equals("MinMaxNorm")) {
      c.put("rate", rate);
    }
    c.put("axis", axisValue());
    return c;
  }

  private Object axisValue() {
    if (axes.length == 1) {
      return axes[0];
    }
    return Arrays.stream(axes).boxed().toList();
  }

  /** Reads Keras's {@code axis}: an int or a list of ints. */
  static int[] axes(Object axis) {
    if (axis instanceof Number n) {
      return new int[] {n.intValue()};
    }
    if (axis instanceof List<?> l) {
      int[] out = new int[l.size()];
      for (int i = 0; i < out.length; i++) {
        if (!(l.get(i) instanceof Number n)) {
          throw new IllegalArgumentException("constraint axis must be an int or a list of ints, got " + axis);
        }
        out[i] = n.intValue();
      }
      return out;
    }
    throw new IllegalArgumentException("constraint axis must be an int or a list of ints, got " + axis);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NormConstraint n && n.className.equals(className) && n.getConfig().equals(getConfig());
  }

  @Override
  public int hashCode() {
    return Objects.hash(className, minValue, maxValue, rate, Arrays.hashCode(axes));
  }

  @Override
  public String toString() {
    return className + getConfig();
  }
}

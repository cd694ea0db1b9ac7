package org.qkeras4j.layers.regularizers;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.qkeras4j.engine.Scalars;

/**
 * Keras's {@code L1}, {@code L2} and {@code L1L2}: {@code l1 * sum(|w|) + l2 * sum(w^2)}. The class
 * name (and so the config written) follows the constructor used, as in Keras.
 */
public final class L1L2 implements Regularizer {
  private final String className;
  private final double l1;
  private final double l2;

  private L1L2(String className, double l1, double l2) {
    if (!(l1 >= 0) || !(l2 >= 0) || Double.isInfinite(l1) || Double.isInfinite(l2)) {
      throw new IllegalArgumentException(
          className + ": factors must be finite and non-negative, got l1=" + l1 + ", l2=" + l2);
    }
    this.className = className;
    this.l1 = l1;
    this.l2 = l2;
  }

  public static L1L2 l1(double l1) {
    return new L1L2("L1", l1, 0.0);
  }

  public static L1L2 l2(double l2) {
    return new L1L2("L2", 0.0, l2);
  }

  public static L1L2 l1l2(double l1, double l2) {
    return new L1L2("L1L2", l1, l2);
  }

  public double l1() {
    return l1;
  }

  public double l2() {
    return l2;
  }

  /** Factors are applied as float32 so the scalar penalty stays float32 (PyTorch promotes 0-d pairs). */
  @Override
  public NDArray penalty(NDArray w) {
    NDArray p = null;
    if (l1 != 0) {
      p = Scalars.mul(w.abs().sum(), l1);
    }
    if (l2 != 0) {
      NDArray q = Scalars.mul(w.square().sum(), l2);
      p = p == null ? q : p.add(q);
    }
    return p == null ? w.getManager().zeros(new ai.djl.ndarray.types.Shape()) : p;
  }

  @Override
  public String className() {
    return className;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    if (!className.equals("L2")) {
      c.put("l1", l1);
    }
    if (!className.equals("L1")) {
      c.put("l2", l2);
    }
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof L1L2 r && r.className.equals(className) && r.l1 == l1 && r.l2 == l2;
  }

  @Override
  public int hashCode() {
    return Objects.hash(className, l1, l2);
  }

  @Override
  public String toString() {
    return className + getConfig();
  }
}

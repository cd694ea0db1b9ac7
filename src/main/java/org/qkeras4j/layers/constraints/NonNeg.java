package org.qkeras4j.layers.constraints;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import org.qkeras4j.engine.Scalars;

/** Keras's {@code NonNeg}: negative weights become zero. */
public final class NonNeg implements Constraint {
  @Override
  public NDArray apply(NDArray w) {
    return Scalars.maximum(w, 0);
  }

  @Override
  public String className() {
    return "NonNeg";
  }

  @Override
  public Map<String, Object> getConfig() {
    return new LinkedHashMap<>();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NonNeg;
  }

  @Override
  public int hashCode() {
    return 17;
  }
}

package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import java.util.Optional;
import org.qkeras4j.engine.ScriptedFunction;

/** A quantizer's fused path: its {@link Quantizer#fusedBody} run as one TorchScript call. */
final class Fusion {
  private Fusion() {}

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

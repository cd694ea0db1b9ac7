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

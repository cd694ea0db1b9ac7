package org.qkeras4j.layers.pooling;

import ai.djl.ndarray.NDArray;
import org.qkeras4j.engine.Scalars;
import org.qkeras4j.layers.quantized.QuantizerActivation;
import org.qkeras4j.layers.quantized.QuantizerSlot;

/** The quantized division of QKeras's average pooling layers. */
final class QuantizedAverage {
  private QuantizedAverage() {}

  /**
   * {@code average * area * q(1 / area)}: the mean taken back to a sum and multiplied by the
   * quantized reciprocal of the area, as QKeras computes it; the average itself without a quantizer.
   */
  static NDArray scale(NDArray average, long area, QuantizerSlot quantizer, boolean training) {
    if (!quantizer.isSet()) {
      return average;
    }
    NDArray factor = quantizer.apply(average.getManager().create((float) (1.0 / area)), training);
    return Scalars.mul(average, area).mul(factor);
  }

  /** As QKeras writes a pooling layer's {@code activation}: the quantizer's config, a name, or null. */
  static Object serializeActivation(QuantizerActivation activation) {
    return activation.isLinear() ? null : activation.serialize();
  }
}

package org.qkeras4j.layers.recurrent;

import org.qkeras4j.layers.KerasConfig;

/**
 * QKeras's {@code QGRU}: a {@link GRU} whose kernel, recurrent kernel and bias pass through
 * {@code kernel_quantizer}, {@code recurrent_quantizer} and {@code bias_quantizer}, whose previous
 * output passes through {@code state_quantizer} before each step, and whose {@code activation}
 * (default {@code quantized_tanh}) and {@code recurrent_activation} (default QKeras's
 * {@code hard_sigmoid}) may be quantizers; {@code reset_after} defaults to False and
 * {@code implementation} to 1, as in QKeras. See {@link RecurrentQuantizers}; with no quantizers
 * and Keras activations it computes exactly what {@link GRU} computes (QKeras itself reads the
 * input kernel as the recurrent kernel when {@code recurrent_quantizer} is unset, see
 * docs/QKERAS_DIFFERENCES.md).
 */
public class QGRU extends GRU implements QuantizedRecurrentLayer {
  private final RecurrentQuantizers quantizers;

  public QGRU(KerasConfig config) {
    this(RecurrentQuantizers.read(config, true));
  }

  private QGRU(RecurrentQuantizers.Setup s) {
    super(s.config(), s.quantizers());
    this.quantizers = s.quantizers();
  }

  @Override
  public RecurrentQuantizers recurrentQuantizers() {
    return quantizers;
  }
}

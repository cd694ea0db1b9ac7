package org.qkeras4j.layers.recurrent;

import org.qkeras4j.layers.KerasConfig;

/**
 * QKeras's {@code QLSTM}: an {@link LSTM} whose kernel, recurrent kernel and bias pass through
 * {@code kernel_quantizer}, {@code recurrent_quantizer} and {@code bias_quantizer}, whose states h
 * and c pass through {@code state_quantizer} before each step, and whose {@code activation}
 * (default {@code quantized_tanh}) and {@code recurrent_activation} (default QKeras's
 * {@code hard_sigmoid}) may be quantizers; {@code implementation} defaults to 1. See
 * {@link RecurrentQuantizers}; with no quantizers and Keras activations it computes exactly what
 * {@link LSTM} computes.
 */
public class QLSTM extends LSTM implements QuantizedRecurrentLayer {
  private final RecurrentQuantizers quantizers;

  public QLSTM(KerasConfig config) {
    this(RecurrentQuantizers.read(config, true));
  }

  private QLSTM(RecurrentQuantizers.Setup s) {
    super(s.config(), s.quantizers());
    this.quantizers = s.quantizers();
  }

  @Override
  public RecurrentQuantizers recurrentQuantizers() {
    return quantizers;
  }
}

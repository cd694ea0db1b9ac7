package org.qkeras4j.layers.recurrent;

import org.qkeras4j.layers.KerasConfig;

/**
 * QKeras's {@code QSimpleRNN}: a {@link SimpleRNN} whose kernel, recurrent kernel and bias pass
 * through {@code kernel_quantizer}, {@code recurrent_quantizer} and {@code bias_quantizer}, whose
 * previous output passes through {@code state_quantizer} before each step, and whose
 * {@code activation} may be a quantizer (default {@code quantized_tanh}). See
 * {@link RecurrentQuantizers} for how the arguments are read; with no quantizers and a Keras
 * activation it computes exactly what {@link SimpleRNN} computes.
 */
public class QSimpleRNN extends SimpleRNN implements QuantizedRecurrentLayer {
  private final RecurrentQuantizers quantizers;

  public QSimpleRNN(KerasConfig config) {
    this(RecurrentQuantizers.read(config, false));
  }

  private QSimpleRNN(RecurrentQuantizers.Setup s) {
    super(s.config(), s.quantizers());
    this.quantizers = s.quantizers();
  }

  @Override
  public RecurrentQuantizers recurrentQuantizers() {
    return quantizers;
  }
}

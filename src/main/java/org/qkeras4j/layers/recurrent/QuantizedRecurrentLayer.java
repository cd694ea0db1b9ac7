package org.qkeras4j.layers.recurrent;

import org.qkeras4j.layers.quantized.QuantizedLayer;
import org.qkeras4j.layers.quantized.QuantizerSlots;

/** What QSimpleRNN, QLSTM and QGRU show tools: their {@link RecurrentQuantizers}. */
public interface QuantizedRecurrentLayer extends QuantizedLayer {

  RecurrentQuantizers recurrentQuantizers();

  @Override
  default QuantizerSlots quantizerSlots() {
    return recurrentQuantizers().slots();
  }

  /** QKeras's {@code layer.kernel_quantizer} etc.: the quantizer argument as given (see {@link RecurrentQuantizers#given}). */
  default Object givenQuantizer(String argument) {
    return recurrentQuantizers().given(argument);
  }
}

package org.qkeras4j.layers.recurrent;

import java.util.LinkedHashMap;
import java.util.Map;
import org.qkeras4j.layers.activations.ActivationFunction;
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

  /** The layer's {@code activation}. */
  ActivationFunction activation();

  /** The layer's {@code recurrent_activation}, null for QSimpleRNN. */
  ActivationFunction recurrentActivation();

  /**
   * QKeras's {@code get_quantization_config()}: each quantizer argument, then {@code activation}
   * (and {@code recurrent_activation}), as Python's {@code str} prints them ({@code None} when
   * unset).
   */
  default Map<String, String> getQuantizationConfig() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String argument : RecurrentQuantizers.ARGUMENTS) {
      Object q = quantizer(argument);
      out.put(argument, q == null ? "None" : q.toString());
    }
    out.put("activation", String.valueOf(activation()));
    if (recurrentActivation() != null) {
      out.put("recurrent_activation", String.valueOf(recurrentActivation()));
    }
    return out;
  }
}

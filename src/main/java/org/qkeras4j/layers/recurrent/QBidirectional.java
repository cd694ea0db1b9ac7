package org.qkeras4j.layers.recurrent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.quantized.QuantizedLayer;
import org.qkeras4j.layers.quantized.QuantizerSlots;
import org.qkeras4j.quant.Quantizer;

/**
 * QKeras's {@code QBidirectional}: a {@link Bidirectional} (same arguments, same computation)
 * that shows its two layers' quantizers: {@code get_quantizers()} is the forward layer's list
 * followed by the backward layer's. The quantizer slots are the layers' own (setting one sets it
 * in that layer); an argument name finds the forward layer's slot, and weight quantizers are
 * keyed by the wrapper's weight names ({@code forward_<name>/kernel}, ...).
 */
public class QBidirectional extends Bidirectional implements QuantizedLayer {
  private final QuantizerSlots slots;

  public QBidirectional(KerasConfig config) {
    super(config);
    List<QuantizerSlots> parts = new ArrayList<>();
    for (RecurrentLayer l : List.of(forwardLayer(), backwardLayer())) {
      if (l instanceof QuantizedLayer q) {
        parts.add(q.quantizerSlots());
      }
    }
    this.slots = QuantizerSlots.concat(parts);
  }

  @Override
  public QuantizerSlots quantizerSlots() {
    return slots;
  }

  @Override
  public Map<String, Quantizer> weightQuantizers() {
    Map<String, Quantizer> out = new LinkedHashMap<>();
    for (RecurrentLayer l : List.of(forwardLayer(), backwardLayer())) {
      if (l instanceof QuantizedLayer q) {
        q.weightQuantizers().forEach((weight, quantizer) -> out.put(l.weightPrefix() + weight, quantizer));
      }
    }
    return out;
  }

  /**
   * QKeras's {@code get_quantization_config()}: {@code {"layer": ..., "backward_layer": ...}}, each
   * the recurrent layer's own (QKeras reads the first from the layer as configured, whose
   * quantizers are the forward layer's); an empty map for a float layer.
   */
  public Map<String, Map<String, String>> getQuantizationConfig() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    out.put("layer", quantizationConfig(forwardLayer()));
    out.put("backward_layer", quantizationConfig(backwardLayer()));
    return out;
  }

  private static Map<String, String> quantizationConfig(RecurrentLayer l) {
    return l instanceof QuantizedRecurrentLayer q ? q.getQuantizationConfig() : Map.of();
  }
}

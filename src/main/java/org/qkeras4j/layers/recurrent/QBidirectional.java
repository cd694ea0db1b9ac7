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
}

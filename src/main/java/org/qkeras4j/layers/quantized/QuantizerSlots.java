package org.qkeras4j.layers.quantized;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qkeras4j.quant.Quantizer;
import org.qkeras4j.quant.Quantizers;

/**
 * The quantizer arguments of one quantized layer, in the order of QKeras's
 * {@code get_quantizers()} (slots QKeras does not list there, such as a QDense's activation
 * quantizer, come after them).
 */
public final class QuantizerSlots {
  private final List<QuantizerSlot> slots = new ArrayList<>();

  /** Adds a slot; {@code weightName} is null for quantizers of outputs rather than weights. */
  public QuantizerSlot add(String argument, String weightName, boolean listed, Quantizer quantizer) {
    for (QuantizerSlot s : slots) {
      if (s.argument().equals(argument)) {
        throw new IllegalStateException("quantizer argument '" + argument + "' added twice");
      }
    }
    QuantizerSlot slot = new QuantizerSlot(argument, weightName, listed, quantizer);
    slots.add(slot);
    return slot;
  }

  /**
   * The slots of several layers in order, the same slot objects (so setting one sets the layer's
   * own): a wrapper's view of the layers it wraps. An argument several parts have is found in the
   * first part by {@link #slot}.
   */
  public static QuantizerSlots concat(List<QuantizerSlots> parts) {
    QuantizerSlots out = new QuantizerSlots();
    for (QuantizerSlots p : parts) {
      out.slots.addAll(p.slots);
    }
    return out;
  }

  /** The slot of {@code argument}; fails naming the arguments this layer has. */
  public QuantizerSlot slot(String argument) {
    for (QuantizerSlot s : slots) {
      if (s.argument().equals(argument)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no quantizer argument '" + argument + "'; this layer has " + arguments());
  }

  /** The current quantizer of {@code argument} (null for none). */
  public Quantizer get(String argument) {
    return slot(argument).get();
  }

  /** All slots in order. */
  public List<QuantizerSlot> all() {
    return Collections.unmodifiableList(slots);
  }

  /** The argument names in order. */
  public List<String> arguments() {
    return slots.stream().map(QuantizerSlot::argument).toList();
  }

  /** QKeras's {@code get_quantizers()}: the listed slots' quantizers, null where none is set. */
  public List<Quantizer> listed() {
    List<Quantizer> out = new ArrayList<>();
    for (QuantizerSlot s : slots) {
      if (s.listed()) {
        out.add(s.get());
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Weight name to the quantizer applied to it, for the weights that have one. */
  public Map<String, Quantizer> byWeight() {
    Map<String, Quantizer> out = new LinkedHashMap<>();
    for (QuantizerSlot s : slots) {
      if (s.weightName() != null && s.isSet()) {
        out.put(s.weightName(), s.get());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** {@code {"class_name", "config"}} of the argument's quantizer, as QKeras's get_config writes it, or null. */
  public Map<String, Object> config(String argument) {
    Quantizer q = get(argument);
    return q == null ? null : Quantizers.toConfig(q);
  }

  @Override
  public String toString() {
    return slots.toString();
  }
}

package org.qkeras4j.layers.core;

import ai.djl.ndarray.types.DataType;
import java.util.Map;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.quantized.QLayerSetup;
import org.qkeras4j.layers.quantized.QuantizedLayer;
import org.qkeras4j.layers.quantized.QuantizerActivation;
import org.qkeras4j.layers.quantized.QuantizerSlots;
import org.qkeras4j.quant.Quantizer;
import org.qkeras4j.quant.Quantizers;

/**
 * QKeras's {@code QActivation(activation)}: applies a quantizer ({@code "quantized_relu(2)"},
 * {@code "binary"}, a config map or a {@link Quantizer}) to its input, as a merged activation and
 * quantization; a Keras activation name works too. The config writes {@code activation} back as
 * it was given (a string stays the string), as QKeras does; a quantizer given as an object, or
 * swapped since, is written as its QKeras string.
 * {@code get_quantizers()} is {@code [activation quantizer]}.
 */
public class QActivation extends Activation implements QuantizedLayer {
  private final QuantizerSlots slots;
  private final QuantizerActivation quantizerActivation;
  private final Quantizer original;
  private final Object givenActivation;

  public QActivation(KerasConfig config) {
    this(read(config), config.asMap().get("activation"));
  }

  private QActivation(QLayerSetup s, Object given) {
    super(s.config());
    this.slots = s.slots();
    this.quantizerActivation = (QuantizerActivation) activation();
    this.original = quantizerActivation.slot().get();
    this.givenActivation = given;
  }

  private static QLayerSetup read(KerasConfig config) {
    if (config.isNull("activation")) {
      throw config.error("activation", "is required (a quantizer such as 'quantized_relu(4)' or an activation name)");
    }
    QLayerSetup s = new QLayerSetup(config);
    s.activation("activation", true);
    return s;
  }

  /** {@code QActivation("quantized_relu(2)")}. */
  public static QActivation of(String activation) {
    return new Builder().activation(activation).build();
  }

  /** {@code QActivation(quantizer)}. */
  public static QActivation of(Quantizer quantizer) {
    return new Builder().activation(quantizer).build();
  }

  /** QKeras's {@code layer.quantizer}: the quantizer applied (null for a Keras activation). */
  public Quantizer quantizer() {
    return quantizerActivation.slot().get();
  }

  /** The quantizer's fused body: how a QDense before this layer runs both in one call. */
  @Override
  public String fusedActivationBody(DataType dtype, boolean training) {
    Quantizer q = quantizer();
    return q == null ? null : q.fusedBody(dtype, training);
  }

  @Override
  public QuantizerSlots quantizerSlots() {
    return slots;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    Quantizer current = quantizer();
    if (current == original && givenActivation instanceof String s) {
      c.put("activation", s);
    } else if (current != null) {
      c.put("activation", current.toString()); // QKeras's string form, which parses back
    }
    return c;
  }

  /** Builds a {@link QActivation} ({@code new QActivation.Builder()}). */
  public static final class Builder extends Options<Builder> {
    @Override
    protected Builder self() {
      return this;
    }

    public QActivation build() {
      return make("QActivation", QActivation::new);
    }
  }
}

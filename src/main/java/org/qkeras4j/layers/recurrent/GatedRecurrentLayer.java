package org.qkeras4j.layers.recurrent;

import java.util.Map;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.activations.ActivationFunction;

/**
 * What LSTM and GRU add to a plain recurrent layer: the gate activation {@code
 * recurrent_activation} (Keras's default {@code sigmoid}) and Keras's {@code implementation}
 * argument, kept for the config (both implementations compute the same values).
 */
public abstract class GatedRecurrentLayer extends RecurrentLayer {
  private final ActivationFunction recurrentActivation;
  private final int implementation;

  /** {@code quantizers} as for {@link RecurrentLayer}; the quantized layers default {@code implementation} to 1, as QKeras does. */
  protected GatedRecurrentLayer(KerasConfig config, int gates, RecurrentQuantizers quantizers) {
    super(config, gates, quantizers);
    this.recurrentActivation = activationArg(
        config.has("recurrent_activation") ? config : config.with("recurrent_activation", "sigmoid"),
        "recurrent_activation");
    this.implementation = implementation(config, quantizers == null ? 2 : 1);
  }

  /** {@code implementation}: 1 or 2 (0, deprecated, reads as 1 as Keras and QKeras do). */
  private static int implementation(KerasConfig config, int defaultValue) {
    int i = config.getInt("implementation", defaultValue);
    if (i < 0 || i > 2) {
      throw config.error("implementation", "must be 1 or 2");
    }
    return Math.max(i, 1);
  }

  @Override
  public ActivationFunction recurrentActivation() {
    return recurrentActivation;
  }

  @Override
  protected void putGateActivation(Map<String, Object> c) {
    c.put("recurrent_activation", recurrentActivation.serialize());
  }

  @Override
  protected void putTrailingArguments(Map<String, Object> c) {
    c.put("implementation", implementation);
  }
}

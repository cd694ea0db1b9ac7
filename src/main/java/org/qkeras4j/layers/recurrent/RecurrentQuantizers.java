package org.qkeras4j.layers.recurrent;

import ai.djl.ndarray.NDArray;
import java.util.HashMap;
import java.util.Map;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.quantized.QLayerSetup;
import org.qkeras4j.layers.quantized.QuantizerSlot;
import org.qkeras4j.layers.quantized.QuantizerSlots;
import org.qkeras4j.layers.quantized.WrittenQuantizers;

/**
 * The quantizers QSimpleRNN, QLSTM and QGRU share, read as QKeras's {@code QSimpleRNNCell},
 * {@code QLSTMCell} and {@code QGRUCell} read them: {@code kernel_quantizer} and
 * {@code recurrent_quantizer} (both with {@code _set_trainable_parameter}), {@code bias_quantizer},
 * {@code state_quantizer} (applied to the carried states before each step), each weight's
 * auto-range constraint and initializer, and a quantizer {@code activation} (default
 * {@code quantized_tanh}) and, for QLSTM/QGRU, {@code recurrent_activation} (default QKeras's
 * {@code hard_sigmoid}). {@code get_quantizers()} is
 * {@code [kernel, recurrent, bias, state]}.
 *
 * <p>QKeras keeps each quantizer argument as given ({@code layer.kernel_quantizer} is the string
 * {@code 'binary'}) beside the quantizer object ({@code kernel_quantizer_internal}, which
 * {@code _set_trainable_parameter} may have changed); {@link #given} returns the former.
 */
public final class RecurrentQuantizers {
  static final String[] ARGUMENTS = {"kernel_quantizer", "recurrent_quantizer", "bias_quantizer", "state_quantizer"};

  private final WrittenQuantizers written;
  private final QuantizerSlot kernel;
  private final QuantizerSlot recurrent;
  private final QuantizerSlot bias;
  private final QuantizerSlot state;
  private final Map<String, Object> given;

  private RecurrentQuantizers(QLayerSetup s, Map<String, Object> given) {
    this.written = s.written(ARGUMENTS);
    this.kernel = written.slot("kernel_quantizer");
    this.recurrent = written.slot("recurrent_quantizer");
    this.bias = written.slot("bias_quantizer");
    this.state = written.slot("state_quantizer");
    this.given = given;
  }

  /** A Q-layer's config read and rewritten for its float parent, with the quantizers it keeps. */
  public record Setup(KerasConfig config, RecurrentQuantizers quantizers) {}

  /**
   * Reads the quantizer arguments of a QSimpleRNN ({@code gated} false) or QLSTM/QGRU
   * ({@code gated} true, which adds {@code recurrent_activation}).
   */
  public static Setup read(KerasConfig config, boolean gated) {
    Map<String, Object> given = new HashMap<>();
    for (String a : ARGUMENTS) {
      given.put(a, config.raw(a));
    }
    QLayerSetup s = new QLayerSetup(config);
    QuantizerSlot kernel = s.weightQuantizer("kernel_quantizer", "kernel", true);
    QuantizerSlot recurrent = s.weightQuantizer("recurrent_quantizer", "recurrent_kernel", true);
    QuantizerSlot bias = s.weightQuantizer("bias_quantizer", "bias", false);
    s.quantizer("state_quantizer", true);
    s.autoRange(kernel, "kernel_initializer", "glorot_uniform", "kernel_constraint");
    s.autoRange(recurrent, "recurrent_initializer", "orthogonal", "recurrent_constraint");
    if (config.getBoolean("use_bias", true)) {
      s.autoRange(bias, "bias_initializer", "zeros", "bias_constraint");
    }
    // QKeras's defaults; an explicit None stays None (a linear activation).
    if (!config.has("activation")) {
      s.set("activation", "quantized_tanh");
    }
    s.activation("activation", false);
    if (gated) {
      if (!config.has("recurrent_activation")) {
        s.set("recurrent_activation", "hard_sigmoid");
      }
      s.activation("recurrent_activation", false);
    }
    return new Setup(s.config(), new RecurrentQuantizers(s, given));
  }

  NDArray kernel(NDArray latent, boolean training) {
    return kernel.apply(latent, training);
  }

  NDArray recurrentKernel(NDArray latent, boolean training) {
    return recurrent.apply(latent, training);
  }

  NDArray bias(NDArray latent, boolean training) {
    return bias.apply(latent, training);
  }

  NDArray state(NDArray s, boolean training) {
    return state.apply(s, training);
  }

  /** The layer's quantizer slots (see {@link org.qkeras4j.layers.quantized.QuantizedLayer}). */
  public QuantizerSlots slots() {
    return written.slots();
  }

  /**
   * QKeras's attribute {@code layer.kernel_quantizer} (etc.): the argument as it was given (a
   * string, a {@code {"class_name", "config"}} map, a quantizer object) or null.
   */
  public Object given(String argument) {
    if (!given.containsKey(argument)) {
      throw new IllegalArgumentException("no quantizer argument '" + argument + "'; recurrent layers have "
          + String.join(", ", ARGUMENTS));
    }
    return given.get(argument);
  }

  void putConfig(Map<String, Object> c) {
    written.putConfig(c);
  }
}

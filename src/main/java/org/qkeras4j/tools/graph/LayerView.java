package org.qkeras4j.tools.graph;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.qkeras4j.quant.Quantizer;

/**
 * One layer of a network as the accounting tools read it. Implementations read the live layer
 * (its Keras config, weights and quantizer objects) on demand; they never copy the model.
 */
public interface LayerView {

  /** The layer's name. */
  String name();

  /** The Keras class name ({@code QConv2D}, {@code Dense}, {@code MaxPooling2D}, ...). */
  String className();

  /** Names of the layers or model inputs feeding this layer, in call order. */
  List<String> inbound();

  /** Shapes of the inputs in call order, batch dimension first (-1 = unknown). */
  List<long[]> inputShapes();

  /** Shape of the output, batch dimension first (-1 = unknown). */
  long[] outputShape();

  /** The layer's Keras config ({@code use_bias}, {@code pool_size}, {@code activation}, ...). */
  Map<String, Object> config();

  /** The layer's weights in Keras order (kernel, bias; gamma, beta, moving_mean, moving_variance). */
  List<WeightView> weights();

  /**
   * For a layer with a batch normalization folded in ({@code QConv2DBatchnorm}, {@code
   * QDepthwiseConv2DBatchnorm}, {@code QDenseBatchnorm}): the kernel and bias it applies, the
   * batch normalization folded in and not yet quantized, named as the layer's kernel and {@code
   * bias} (QKeras's {@code get_folded_weights()}); empty for other layers.
   */
  default Optional<List<WeightView>> foldedWeights() {
    return Optional.empty();
  }

  /**
   * The live quantizer the layer holds under a QKeras config key ({@code kernel_quantizer},
   * {@code bias_quantizer}, {@code activation}, {@code average_quantizer}, {@code
   * gamma_quantizer}, ...), or null when there is none. For {@code activation} this is non-null
   * only when the activation is a quantizer (QActivation, or a Q-layer's quantized activation).
   */
  Quantizer quantizer(String key);

  /** A short description for messages: {@code layer 'conv2d_1' (QConv2D)}. */
  default String describe() {
    return "layer '" + name() + "' (" + className() + ")";
  }

  /** A boolean config flag with its Keras default. */
  default boolean flag(String key, boolean fallback) {
    Object v = config().get(key);
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n) {
      return n.doubleValue() != 0;
    }
    return fallback;
  }

  /** The weight named {@code weightName} ({@code kernel}, {@code bias}, ...), or null. */
  default WeightView weight(String weightName) {
    for (WeightView w : weights()) {
      if (w.name().equals(weightName)) {
        return w;
      }
    }
    return null;
  }
}

package org.qkeras4j.tools.qstats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.qkeras4j.tools.graph.LayerView;
import org.qkeras4j.tools.graph.NetworkView;
import org.qkeras4j.tools.graph.QuantizedWeights;
import org.qkeras4j.tools.graph.WeightView;

/**
 * Fraction of quantized weights and biases that are exactly zero, per quantized layer and over the
 * whole model (QKeras: {@code utils.get_model_sparsity}). Weights are quantized on the fly; the
 * model keeps its latent values. A layer with a batch normalization folded in counts the kernel
 * and bias it applies: folded, then quantized (QKeras counts the folded values unquantized; see
 * docs/QKERAS_DIFFERENCES.md).
 *
 * @param total zero fraction over all counted weights
 * @param perLayer zero fraction of each counted layer, in model order
 */
public record Sparsity(double total, Map<String, Double> perLayer) {

  /** Quantized layer classes whose weights count (QKeras's default allow list). */
  public static final Set<String> COUNTED = Set.of(
      "QDense", "QConv1D", "QConv2D", "QDepthwiseConv2D", "QSeparableConv1D", "QSeparableConv2D",
      "QOctaveConv2D", "QSimpleRNN", "QLSTM", "QGRU", "QConv2DTranspose", "QConv2DBatchnorm",
      "QDepthwiseConv2DBatchnorm");

  public Sparsity {
    perLayer = Collections.unmodifiableMap(new LinkedHashMap<>(perLayer));
  }

  /**
   * Computes the sparsity, or returns empty when some counted layer holds no weight values (a
   * model that was described but never built).
   */
  public static Optional<Sparsity> of(NetworkView net) {
    Map<String, Double> per = new LinkedHashMap<>();
    long zeros = 0;
    long all = 0;
    for (LayerView l : net.layers()) {
      if (!COUNTED.contains(l.className())) {
        continue;
      }
      long layerZeros = 0;
      long layerAll = 0;
      for (WeightView w : l.foldedWeights().orElseGet(l::weights)) {
        Optional<float[]> q = QuantizedWeights.of(w, l.quantizer(quantizerKey(w.name())));
        if (q.isEmpty()) {
          return Optional.empty();
        }
        for (float v : q.get()) {
          if (v == 0.0f) {
            layerZeros++;
          }
        }
        layerAll += q.get().length;
      }
      per.put(l.name(), layerAll == 0 ? 0.0 : (double) layerZeros / layerAll);
      zeros += layerZeros;
      all += layerAll;
    }
    return Optional.of(new Sparsity(all == 0 ? 0.0 : (double) zeros / all, per));
  }

  /** The QKeras quantizer key of a weight by its Keras name. */
  static String quantizerKey(String weightName) {
    return switch (weightName) {
      case "kernel" -> "kernel_quantizer";
      case "bias" -> "bias_quantizer";
      case "depthwise_kernel" -> "depthwise_quantizer";
      case "pointwise_kernel" -> "pointwise_quantizer";
      case "recurrent_kernel" -> "recurrent_quantizer";
      default -> weightName + "_quantizer";
    };
  }
}

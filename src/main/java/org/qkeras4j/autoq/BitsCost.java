package org.qkeras4j.autoq;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.qkeras4j.quant.Quantizer;
import org.qkeras4j.tools.graph.LayerActivation;
import org.qkeras4j.tools.graph.LayerKinds;
import org.qkeras4j.tools.graph.LayerView;
import org.qkeras4j.tools.graph.NetworkView;
import org.qkeras4j.tools.graph.OperationCounts;
import org.qkeras4j.tools.graph.WeightView;

/**
 * The model size in bits that the AutoQKeras {@code bits} goal minimizes (QKeras: {@code
 * ForgivingFactorBits.compute_model_size}): per layer, parameter bits (weights at their
 * quantizer's width, unquantized ones at {@code refBits}) and activation bits (the output at the
 * activation's width), counted as {@code config} says for the layer's class.
 *
 * @param inputBits width of model inputs
 * @param outputBits width of softmax and sigmoid outputs
 * @param refBits width of anything unquantized
 * @param config per layer class (or {@code default}), which of {@code parameters} and {@code
 *     activations} count; a class with no rule and no default is not counted
 */
public record BitsCost(int inputBits, int outputBits, int refBits, Map<String, List<String>> config) {

  private static final Set<String> KERAS_MAC = Set.of(
      "Dense", "Conv2D", "Conv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D");
  private static final Set<String> Q_MAC = Set.of(
      "QDense", "QConv2D", "QConv1D", "QDepthwiseConv2D", "QSeparableConv1D", "QSeparableConv2D");


  public BitsCost {
    config = Map.copyOf(config);
  }

  /** AutoQKeras's default goal: 8-bit inputs, outputs and reference, count everything. */
  public static BitsCost defaults() {
    return new BitsCost(8, 8, 8, Map.of("default", List.of("parameters", "activations")));
  }

  /** One layer's bits. */
  public record LayerBits(long parameters, long activations, long total) {}

  /**
   * The model's size: {@code total = parameters + activations} over counted layers, and the
   * counted layers' entries in model order (inputs first).
   */
  public record Size(long total, long parameters, long activations, Map<String, LayerBits> layers) {
    public Size {
      layers = Collections.unmodifiableMap(new LinkedHashMap<>(layers));
    }
  }

  /** Measures {@code net}. */
  public Size measure(NetworkView net) {
    Map<String, LayerBits> layers = new LinkedHashMap<>();
    long p = 0;
    long a = 0;
    if (net.listsInputLayers()) {
      for (NetworkView.Input in : net.inputs()) {
        List<String> rule = rule("InputLayer");
        if (rule != null) {
          long acts = inputBits * OperationCounts.elements(in.shape());
          long counted = rule.contains("activations") ? acts : 0;
          layers.put(in.name(), new LayerBits(0, acts, counted));
          a += counted;
        }
      }
    }
    for (LayerView l : net.layers()) {
      List<String> rule = rule(l.className());
      if (rule == null) {
        continue;
      }
      long params = parameterBits(l);
      long acts = activationBits(l);
      long countedP = rule.contains("parameters") ? params : 0;
      long countedA = rule.contains("activations") ? acts : 0;
      layers.put(l.name(), new LayerBits(params, acts, countedP + countedA));
      p += countedP;
      a += countedA;
    }
    return new Size(p + a, p, a, layers);
  }

  private List<String> rule(String className) {
    List<String> r = config.getOrDefault(className, config.get("default"));
    return r == null || r.isEmpty() ? null : r;
  }

  /** Parameter bits of a layer (QKeras {@code _param_size}). */
  long parameterBits(LayerView l) {
    String cls = l.className();
    List<WeightView> w = l.weights();
    long bits = 0;
    if (KERAS_MAC.contains(cls)) {
      for (WeightView v : w) {
        bits += refBits * v.size();
      }
    } else if (Q_MAC.contains(cls)) {
      for (WeightView v : w) {
        Quantizer q = l.quantizer(switch (v.name()) {
          case "bias" -> "bias_quantizer";
          case "depthwise_kernel" -> "depthwise_quantizer";
          case "pointwise_kernel" -> "pointwise_quantizer";
          default -> "kernel_quantizer";
        });
        bits += (q == null ? refBits : q.bits()) * v.size();
      }
    } else if (LayerKinds.isRecurrent(cls)) {
      for (WeightView v : w) {
        // A Bidirectional's weights are 'forward_lstm/kernel', ...: the quantizer goes by the last part.
        String weight = v.name().substring(v.name().lastIndexOf('/') + 1);
        Quantizer q = LayerKinds.Q_RECURRENT.contains(cls) ? l.quantizer(switch (weight) {
          case "bias" -> "bias_quantizer";
          case "recurrent_kernel" -> "recurrent_quantizer";
          default -> "kernel_quantizer";
        }) : null;
        bits += (q == null ? refBits : q.bits()) * v.size();
      }
    } else if (cls.equals("BatchNormalization") || cls.equals("QBatchNormalization")) {
      // Mean and variance fold into a scale and beta into a bias: count one vector each
      // (QBatchNormalization at 6 and 5 bits).
      boolean q = cls.startsWith("Q");
      bits += (q ? 6 : refBits) * w.get(w.size() - 1).size();
      if (l.flag("center", true)) {
        bits += (q ? 5 : refBits) * w.get(l.flag("scale", true) ? 1 : 0).size();
      }
    }
    return bits;
  }

  /** Activation bits of a layer's output (QKeras {@code _act_size}). */
  long activationBits(LayerView l) {
    String cls = l.className();
    long out = OperationCounts.elements(l.outputShape());
    LayerActivation a = LayerActivation.of(l);
    if (KERAS_MAC.contains(cls)) {
      return a.kind() == LayerActivation.Kind.FUNCTION ? refBits * out : 0;
    }
    if (LayerKinds.isRecurrent(cls)) {
      // The output (every step's with return_sequences) at the activation's width; a
      // Bidirectional's activation sits in its wrapped layer: a quantizer there, else refBits.
      return switch (a.kind()) {
        case LINEAR -> 0;
        case QUANTIZER -> (long) a.quantizer().bits() * out;
        case NONE, FUNCTION -> refBits * out;
      };
    }
    if (Q_MAC.contains(cls) || cls.equals("QActivation") || cls.equals("Activation")) {
      return switch (a.kind()) {
        case NONE, LINEAR -> 0;
        case QUANTIZER -> (long) a.quantizer().bits() * out;
        case FUNCTION -> (a.functionName().equals("softmax")
            || (!Q_MAC.contains(cls) && a.functionName().equals("sigmoid")) ? outputBits : refBits) * out;
      };
    }
    return 0;
  }
}

package org.qkeras4j.tools.qstats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.qkeras4j.quant.Quantizer;
import org.qkeras4j.tools.graph.LayerActivation;
import org.qkeras4j.tools.graph.LayerKinds;
import org.qkeras4j.tools.graph.LayerView;
import org.qkeras4j.tools.graph.NetworkView;
import org.qkeras4j.tools.graph.OperationCounts;
import org.qkeras4j.tools.graph.WeightView;

/**
 * print_qstats and extract_model_operations (QKeras: {@code qkeras/estimate.py}): which
 * multiplication each quantized layer performs, how many, and how many weight bits the model
 * holds.
 *
 * <p>Operand types follow the tensors: a model input is taken as an 8-bit unsigned value
 * (QKeras's {@code quantized_relu(8, 0)}), a QActivation outputs its quantizer's type, a
 * quantized multiply-accumulate layer its activation's type (float when it has none), and any
 * other layer passes its first input's type on.
 */
public final class QStats {
  private QStats() {}

  /** Quantized layers whose multiplications print_qstats reports. */
  public static final Set<String> REPORTED = Set.of(
      "QDense", "QConv1D", "QConv2D", "QDepthwiseConv2D", "QSeparableConv1D", "QSeparableConv2D",
      "QConv2DTranspose", "QConv2DBatchnorm", "QDepthwiseConv2DBatchnorm");

  /**
   * Quantized recurrent layers: not reported (QKeras's print_qstats leaves them out too), but their
   * output has their activation's type, which the next layer's multiplications read.
   */

  /** The operations of every reported layer, in model order. */
  public static Map<String, LayerOperations> extract(NetworkView net) {
    Map<String, OperandType> types = new HashMap<>();
    for (NetworkView.Input in : net.inputs()) {
      types.put(in.name(), OperandType.MODEL_INPUT);
    }
    Map<String, LayerOperations> out = new LinkedHashMap<>();
    for (LayerView l : net.layers()) {
      if (l.inbound().isEmpty()) {
        throw new IllegalArgumentException(l.describe() + " has no inputs");
      }
      OperandType input = types.get(l.inbound().get(0));
      if (input == null) {
        throw new IllegalArgumentException(l.describe() + " reads '" + l.inbound().get(0)
            + "', which comes after it or is not in the model");
      }
      try {
        types.put(l.name(), outputType(l, input));
        if (REPORTED.contains(l.className())) {
          out.put(l.name(), operations(l, input));
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(l.describe() + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static OperandType outputType(LayerView l, OperandType input) {
    String cls = l.className();
    if (LayerKinds.ACTIVATION.contains(cls) && cls.startsWith("Q")) {
      Quantizer q = l.quantizer("activation");
      return q == null ? OperandType.FLOAT32 : OperandType.of(q);
    }
    if (REPORTED.contains(cls) || LayerKinds.Q_RECURRENT.contains(cls)) {
      LayerActivation a = LayerActivation.of(l);
      return a.isQuantizer() ? OperandType.of(a.quantizer()) : OperandType.FLOAT32;
    }
    return input;
  }

  private static LayerOperations operations(LayerView l, OperandType input) {
    String cls = l.className();
    List<WeightView> w = l.weights();
    if (w.isEmpty()) {
      throw new IllegalArgumentException("no weights; build the model before print_qstats");
    }
    long[] in = l.inputShapes().get(0);
    List<Long> counts = new ArrayList<>();
    List<OperandType> types = new ArrayList<>();
    long ops;
    WeightView bias = l.weight("bias");
    if (cls.startsWith("QSeparableConv")) {
      ops = OperationCounts.separableDepthwise(l) + OperationCounts.separablePointwise(l);
      counts.add(w.get(0).size());
      counts.add(w.get(1).size());
      types.add(OperandType.of(l.quantizer("depthwise_quantizer")));
      types.add(OperandType.of(l.quantizer("pointwise_quantizer")));
    } else {
      ops = OperationCounts.of(l, in);
      counts.add(w.get(0).size());
      types.add(OperandType.of(l.quantizer(LayerKinds.weightQuantizerKey(cls))));
    }
    long biasCount = bias == null ? 0 : bias.size();
    OperandType biasType = OperandType.of(l.quantizer("bias_quantizer"));
    return new LayerOperations(l.name(), cls, types.get(0), input, ops, counts, types, biasCount, biasType);
  }

  /**
   * The print_qstats report: operations per layer and per operation type, weight profiling and
   * total bits, then weight sparsity when {@code sparsity} is given.
   */
  public static String report(Map<String, LayerOperations> ops, Sparsity sparsity) {
    StringBuilder s = new StringBuilder();
    Map<String, LayerOperations> byName = new TreeMap<>(ops);
    s.append('\n').append("Number of operations in model:\n");
    Map<String, Long> table = new TreeMap<>();
    for (LayerOperations o : byName.values()) {
      table.merge(o.operationName(), o.operations(), Long::sum);
      s.append(String.format(java.util.Locale.ROOT, "    %-30s: %-5s (%s)\n", o.name(), o.operations(), o.operationName()));
    }
    s.append('\n').append("Number of operation types in model:\n");
    for (Map.Entry<String, Long> e : table.entrySet()) {
      if (e.getValue() > 0) {
        s.append(String.format(java.util.Locale.ROOT, "    %-30s: %s\n", e.getKey(), e.getValue()));
      }
    }
    s.append('\n').append("Weight profiling:\n");
    long totalBits = 0;
    for (LayerOperations o : byName.values()) {
      boolean split = o.weightCounts().size() > 1;
      for (int i = 0; i < o.weightCounts().size(); i++) {
        String label = o.name() + "_weights" + (split ? "_" + i : "");
        s.append(profileLine(label, o.weightCounts().get(i), o.weightTypes().get(i).bits()));
      }
      s.append(profileLine(o.name() + "_bias", o.biasCount(), o.biasType().bits()));
      totalBits += o.totalBits();
    }
    s.append("    ").append("-".repeat(40)).append('\n');
    s.append(String.format(java.util.Locale.ROOT, "    %-30s : %5d\n", "Total Bits", totalBits));
    if (sparsity != null) {
      s.append('\n').append("Weight sparsity:\n");
      for (Map.Entry<String, Double> e : sparsity.perLayer().entrySet()) {
        s.append(String.format(java.util.Locale.ROOT, "    %-30s : %.4f\n", e.getKey(), e.getValue()));
      }
      s.append("    ").append("-".repeat(40)).append('\n');
      s.append(String.format(java.util.Locale.ROOT, "    %-30s : %.4f\n", "Total Sparsity", sparsity.total()));
    }
    return s.toString();
  }

  private static String profileLine(String label, long count, int bits) {
    return String.format(java.util.Locale.ROOT, "    %-30s : %-5s (%d-bit unit)\n", label, count, bits);
  }
}

package org.qkeras4j.tools.energy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qkeras4j.tools.graph.OperationCounts;
import org.qkeras4j.tools.qtools.DataTypeMap;
import org.qkeras4j.tools.qtools.LayerTypes;
import org.qkeras4j.tools.qtools.Operation;
import org.qkeras4j.tools.qtools.QType;

/**
 * Energy of a network from its data-type map (QKeras: {@code qenergy.energy_estimate}, {@code
 * QTools.pe}, {@code extract_energy_sum}, {@code extract_energy_profile}). Per layer:
 *
 * <ul>
 *   <li>inputs: reading every input tensor at its type's width;
 *   <li>parameters: reading weights and biases (batch norm: its four parameter vectors);
 *   <li>op_cost: operation count times the multiplier's gate energy plus one accumulator addition
 *       (separable convolutions: their depthwise and pointwise parts each so; merges: one gate per extra input; average poolings: one addition per pooled value, plus
 *       the averaging multiply of quantized poolings; batch norm: divider and multiplier);
 *   <li>outputs: writing the output tensor.
 * </ul>
 *
 * Each figure is rounded to 0.01 pJ as QKeras reports it.
 */
public final class QEnergy {
  private QEnergy() {}

  /** One layer's energy in pJ. */
  public record LayerEnergy(String name, String className, double inputs, double outputs,
      double parameters, double opCost) {

    /** The named part: {@code inputs}, {@code outputs}, {@code parameters} or {@code op_cost}. */
    public double part(String field) {
      return switch (field) {
        case "inputs" -> inputs;
        case "outputs" -> outputs;
        case "parameters" -> parameters;
        case "op_cost" -> opCost;
        default -> throw new IllegalArgumentException("no energy part '" + field + "'");
      };
    }

    /** The sum of the parts {@code rules} count for this layer's class. */
    public double total(IncludeEnergy rules) {
      double t = 0;
      for (String f : rules.fieldsFor(className)) {
        t += part(f);
      }
      return t;
    }
  }

  /**
   * The energy of every layer and {@code totalCost}, the integer part of the sum of all parts of
   * all layers before rounding (QKeras's {@code total_cost}).
   */
  public record Report(Map<String, LayerEnergy> layers, long totalCost) {
    public Report {
      layers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(layers));
    }

    public LayerEnergy layer(String name) {
      LayerEnergy e = layers.get(name);
      if (e == null) {
        throw new IllegalArgumentException("no layer '" + name + "' in the energy report; it has " + layers.keySet());
      }
      return e;
    }

    /** The model energy under {@code rules}: the integer part of the sum of the counted parts. */
    public long sum(IncludeEnergy rules) {
      double v = 0;
      for (LayerEnergy e : layers.values()) {
        v += e.total(rules);
      }
      return (long) v;
    }
  }

  /** Prices every layer of {@code map}. */
  public static Report estimate(DataTypeMap map, EnergyOptions options, EnergyModel model) {
    Map<String, LayerEnergy> out = new LinkedHashMap<>();
    double total = 0;
    for (LayerTypes t : map.layers().values()) {
      double inputs = inputs(t, options, model);
      double parameters = parameters(t, options, model);
      double outputs = model.write(t.writesModelOutput(), OperationCounts.elements(t.outputShape()) * (double) t.output().bits(),
          options.activationsOn(), options.minSramSize(), options.rdWrOnIo());
      double op = operations(t, model);
      total += inputs + parameters + outputs + op;
      out.put(t.name(), new LayerEnergy(t.name(), t.className(), round2(inputs), round2(outputs), round2(parameters),
          round2(op)));
    }
    return new Report(out, (long) total);
  }

  private static double inputs(LayerTypes t, EnergyOptions o, EnergyModel model) {
    double e = 0;
    List<QType> types = t.inputs();
    for (int i = 0; i < types.size(); i++) {
      double bits = OperationCounts.elements(t.inputShapes().get(i)) * (double) types.get(i).bits();
      e += model.read(t.readsModelInput(), bits, o.activationsOn(), o.minSramSize(), o.rdWrOnIo());
    }
    return e;
  }

  private static double parameters(LayerTypes t, EnergyOptions o, EnergyModel model) {
    double e = 0;
    switch (t.kind()) {
      case BATCH_NORM -> {
        long channels = t.outputShape()[t.outputShape().length - 1];
        for (QType q : new QType[] {t.gamma(), t.beta(), t.mean(), t.variance()}) {
          if (q != null) {
            e += model.read(false, channels * (double) q.bits(), o.weightsOn(), o.minSramSize(), o.rdWrOnIo());
          }
        }
      }
      case MAC, FOLDED_MAC, SEPARABLE -> {
        e += model.read(false, size(t.weightShape()) * (double) t.weight().bits(), o.weightsOn(), o.minSramSize(), o.rdWrOnIo());
        if (t.pointwise() != null) {
          e += model.read(false, size(t.pointwiseShape()) * (double) t.pointwise().bits(), o.weightsOn(),
              o.minSramSize(), o.rdWrOnIo());
        }
        if (t.bias() != null) {
          e += model.read(false, t.biasSize() * (double) t.bias().bits(), o.weightsOn(), o.minSramSize(), o.rdWrOnIo());
        }
      }
      default -> { }
    }
    return e;
  }

  private static double operations(LayerTypes t, EnergyModel model) {
    return switch (t.kind()) {
      case MAC, FOLDED_MAC -> t.operationCount() * (model.operation(t.multiplier()) + model.add(t.accumulator().output()));
      case SEPARABLE -> {
        long depthwise = t.depthwiseOperations();
        long pointwise = t.operationCount() - depthwise;
        yield depthwise * (model.operation(t.depthwiseMultiplier()) + model.add(t.depthwiseAccumulator().output()))
            + pointwise * (model.operation(t.multiplier()) + model.add(t.accumulator().output()));
      }
      case MERGE -> (t.inputs().size() - 1) * (double) t.operationCount() * model.operation(t.multiplier());
      case AVERAGE_POOLING -> {
        double e = t.operationCount() * model.add(t.poolSum().output());
        if (t.poolAverage() != null) {
          e += OperationCounts.elements(t.outputShape()) * model.operation(t.poolAverage());
        }
        yield e;
      }
      case BATCH_NORM -> {
        if (t.batchNorm() == null) {
          yield 0; // fused into the previous layer: hardware does its work there
        }
        Operation d = t.batchNorm().divider();
        Operation m = t.batchNorm().multiplier();
        yield t.operationCount() * (model.operation(d) + (m == null ? 0 : model.operation(m)));
      }
      case ACTIVATION, RESHAPE, PASS_THROUGH -> 0;
    };
  }

  private static long size(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** Python's {@code float("{0:.2f}".format(x))}: the exact binary value rounded half-even. */
  static double round2(double v) {
    return new BigDecimal(v).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
  }
}

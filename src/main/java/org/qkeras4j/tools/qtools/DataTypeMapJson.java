package org.qkeras4j.tools.qtools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes a {@link DataTypeMap} in the JSON layout of QKeras's {@code interface.map_to_json} (what
 * {@code QTools.qtools_stats_to_json} saves): {@code source_quantizers}, then one entry per layer
 * with {@code layer_type}, {@code input_quantizer_list}, {@code output_quantizer} and the family's
 * weight, bias, multiplier, accumulator, pooling or batch-norm entries, and {@code
 * operation_count}. Merge layers name their result {@code <Class>_quantizer}; a layer fused with
 * its batch normalization adds {@code bn_beta_quantizer}, {@code bn_mean_quantizer} and {@code
 * bn_inverse_quantizer}, and that batch normalization lists only its input and output types.
 */
public final class DataTypeMapJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private DataTypeMapJson() {}

  public static ObjectNode toJson(DataTypeMap map) {
    ObjectNode root = F.objectNode();
    ArrayNode sources = F.arrayNode();
    for (QType s : map.sources()) {
      sources.add(QTypeJson.describe(s, null, null));
    }
    if (!sources.isEmpty()) {
      root.set("source_quantizers", sources);
    }
    for (LayerTypes t : map.layers().values()) {
      root.set(t.name(), layer(t));
    }
    return root;
  }

  private static ObjectNode layer(LayerTypes t) {
    ObjectNode o = F.objectNode();
    o.put("layer_type", t.className());
    ArrayNode inputs = F.arrayNode();
    for (QType q : t.inputs()) {
      inputs.add(QTypeJson.describe(q, null, null));
    }
    o.set("input_quantizer_list", inputs);
    put(o, "output_quantizer", t.output(), shape(t.outputShape()));
    switch (t.kind()) {
      case BATCH_NORM -> {
        put(o, "gamma_quantizer", t.gamma(), null);
        put(o, "beta_quantizer", t.beta(), null);
        put(o, "mean_quantizer", t.mean(), null);
        put(o, "variance_quantizer", t.variance(), null);
        if (t.batchNorm() != null) {
          put(o, "internal_divide_quantizer", t.batchNorm().divider());
          put(o, "internal_multiplier", t.batchNorm().multiplier());
          put(o, "internal_accumulator", t.batchNorm().accumulator());
        }
      }
      case AVERAGE_POOLING -> {
        put(o, "average_quantizer", t.averageQuantizer(), null);
        put(o, "pool_sum_accumulator", t.poolSum());
        put(o, "pool_avg_multiplier", t.poolAverage());
      }
      default -> {
        put(o, "weight_quantizer", t.weight(), t.weightShape() == null ? null : array(t.weightShape()));
        put(o, "pointwise_quantizer", t.pointwise(), t.pointwiseShape() == null ? null : array(t.pointwiseShape()));
        put(o, "depthwise_multiplier", t.depthwiseMultiplier());
        put(o, "depthwise_accumulator", t.depthwiseAccumulator());
        put(o, "bias_quantizer", t.bias(), t.bias() == null ? null : F.numberNode(t.biasSize()));
        put(o, t.kind() == LayerTypes.Kind.MERGE ? t.className() + "_quantizer" : "multiplier", t.multiplier());
        put(o, "accumulator", t.accumulator());
        if (t.fusedAccumulator() != null) {
          put(o, "bn_beta_quantizer", t.bnBeta(), null);
          put(o, "bn_mean_quantizer", t.bnMean(), null);
          put(o, "bn_inverse_quantizer", t.bnInverse(), null);
        }
        put(o, "fused_accumulator", t.fusedAccumulator());
      }
    }
    o.put("operation_count", t.operationCount());
    return o;
  }

  private static void put(ObjectNode o, String key, QType q, JsonNode shape) {
    if (q != null) {
      o.set(key, QTypeJson.describe(q, shape, null));
    }
  }

  private static void put(ObjectNode o, String key, Operation op) {
    if (op != null) {
      o.set(key, QTypeJson.describe(op));
    }
  }

  /** A shape with the batch dimension written -1. */
  private static JsonNode shape(long[] s) {
    return s == null ? null : array(s);
  }

  private static ArrayNode array(long[] s) {
    ArrayNode a = F.arrayNode();
    for (long d : s) {
      a.add(d < 0 ? -1 : d);
    }
    return a;
  }
}

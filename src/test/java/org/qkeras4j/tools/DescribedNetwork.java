package org.qkeras4j.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qkeras4j.quant.Quantizer;
import org.qkeras4j.tools.graph.LayerView;
import org.qkeras4j.tools.graph.NetworkView;
import org.qkeras4j.tools.graph.WeightView;
import org.qkeras4j.util.Json;

/**
 * Test-only: a {@link NetworkView} read straight from a golden case's model description (layers
 * with class name, Keras config and inbound names), with Keras shape inference for the layer
 * classes those cases use and quantizers from {@link TestQuantizers#parse}. Conformance tests build
 * real models ({@link GoldenModels}); descriptions serve unit tests of networks no registered class
 * builds (unknown layer classes, quantizer names no class implements), and
 * {@code RealModelAgreementTest} keeps them equal to real models on every golden case.
 */
public final class DescribedNetwork implements NetworkView {
  private final List<Input> inputs = new ArrayList<>();
  private final List<LayerView> layers = new ArrayList<>();
  private final List<String> outputs = new ArrayList<>();

  private DescribedNetwork() {}

  /** Reads {@code {"inputs": [...], "layers": [...], "outputs": [...]}}. */
  public static DescribedNetwork of(JsonNode model) {
    DescribedNetwork net = new DescribedNetwork();
    Map<String, long[]> shapes = new HashMap<>();
    for (JsonNode in : model.get("inputs")) {
      long[] s = withBatch(in.get("shape"));
      net.inputs.add(new Input(in.get("name").asText(), s));
      shapes.put(in.get("name").asText(), s);
    }
    for (JsonNode l : model.get("layers")) {
      List<String> inbound = new ArrayList<>();
      List<long[]> inShapes = new ArrayList<>();
      for (JsonNode i : l.get("inbound")) {
        inbound.add(i.asText());
        inShapes.add(shapes.get(i.asText()));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> cfg = Json.MAPPER.convertValue(l.get("config"), LinkedHashMap.class);
      Described d = new Described(l.get("name").asText(), l.get("class_name").asText(), cfg, inbound, inShapes,
          l.path("quantizer_overrides"));
      shapes.put(d.name, d.outputShape);
      net.layers.add(d);
    }
    for (JsonNode o : model.get("outputs")) {
      net.outputs.add(o.asText());
    }
    return net;
  }

  @Override
  public List<Input> inputs() {
    return inputs;
  }

  @Override
  public List<LayerView> layers() {
    return layers;
  }

  @Override
  public List<String> outputs() {
    return outputs;
  }

  private static long[] withBatch(JsonNode shape) {
    long[] s = new long[shape.size() + 1];
    s[0] = -1;
    for (int i = 0; i < shape.size(); i++) {
      s[i + 1] = shape.get(i).asLong();
    }
    return s;
  }

  private static final class Described implements LayerView {
    final String name;
    final String cls;
    final Map<String, Object> cfg;
    final List<String> inbound;
    final List<long[]> inputShapes;
    final long[] outputShape;
    final List<WeightView> weights = new ArrayList<>();
    final Map<String, Quantizer> quantizers = new HashMap<>();

    Described(String name, String cls, Map<String, Object> cfg, List<String> inbound, List<long[]> inputShapes,
        JsonNode overrides) {
      this.name = name;
      this.cls = cls;
      this.cfg = cfg;
      this.inbound = inbound;
      this.inputShapes = inputShapes;
      this.outputShape = infer();
      for (String key : List.of("kernel_quantizer", "bias_quantizer", "depthwise_quantizer", "average_quantizer",
          "gamma_quantizer", "beta_quantizer", "mean_quantizer", "variance_quantizer", "activation")) {
        Quantizer q = quantizerFor(key);
        if (q != null && overrides.has(key + ".scale")) {
          JsonNode scale = overrides.get(key + ".scale");
          q = TestQuantizers.withScale(q, Json.MAPPER.convertValue(scale, Object.class));
        }
        quantizers.put(key, q);
      }
    }

    /** QKeras's QBatchNormalization defaults for quantizers left out of the config. */
    private static final Map<String, String> QBN_DEFAULTS = Map.of(
        "gamma_quantizer", "quantized_relu_po2(6, 2048)", "beta_quantizer", "quantized_po2(5)",
        "mean_quantizer", "quantized_po2(5)", "variance_quantizer", "quantized_relu_po2(6, quadratic_approximation=True)");

    private Quantizer quantizerFor(String key) {
      if (cls.equals("QBatchNormalization") && QBN_DEFAULTS.containsKey(key) && !cfg.containsKey(key)) {
        return TestQuantizers.parse(QBN_DEFAULTS.get(key));
      }
      Object v = cfg.get(key);
      if (cls.equals("QAdaptiveActivation") && key.equals("activation")) {
        return TestQuantizers.parse(v + "(" + cfg.get("total_bits") + ",0)");
      }
      if (!(v instanceof String s)) {
        return null;
      }
      String name = org.qkeras4j.quant.QuantizerSpecParser.parse(s).name();
      return org.qkeras4j.quant.QuantizerRegistry.find(name) != null || name.startsWith("quantized_")
          ? TestQuantizers.parse(s) : null;
    }

    private long[] in() {
      return inputShapes.get(0);
    }

    private long[] infer() {
      long[] in = in();
      int rank = in.length - 2;
      switch (cls) {
        case "Conv1D", "QConv1D", "Conv2D", "QConv2D" -> {
          long[] k = dims("kernel_size", rank, 1);
          long[] s = dims("strides", rank, 1);
          long filters = num("filters");
          long[] out = spatial(in, k, s);
          out[out.length - 1] = filters;
          long[] kernel = Arrays.copyOf(k, rank + 2);
          kernel[rank] = in[in.length - 1];
          kernel[rank + 1] = filters;
          weights.add(WeightView.shapeOnly("kernel", kernel));
          if (flag("use_bias", true)) {
            weights.add(WeightView.shapeOnly("bias", filters));
          }
          return out;
        }
        case "Dense", "QDense" -> {
          long units = num("units");
          long[] out = in.clone();
          out[out.length - 1] = units;
          weights.add(WeightView.shapeOnly("kernel", in[in.length - 1], units));
          if (flag("use_bias", true)) {
            weights.add(WeightView.shapeOnly("bias", units));
          }
          return out;
        }
        case "MaxPooling2D", "AveragePooling2D", "QAveragePooling2D" -> {
          long[] p = dims("pool_size", rank, 2);
          long[] s = cfg.containsKey("strides") && cfg.get("strides") != null ? dims("strides", rank, 1) : p;
          long[] out = spatial(in, p, s);
          out[out.length - 1] = in[in.length - 1];
          return out;
        }
        case "GlobalAveragePooling2D", "QGlobalAveragePooling2D" -> {
          return new long[] {-1, in[in.length - 1]};
        }
        case "Flatten" -> {
          long n = 1;
          for (int i = 1; i < in.length; i++) {
            n *= in[i];
          }
          return new long[] {-1, n};
        }
        case "Reshape" -> {
          @SuppressWarnings("unchecked")
          List<Number> t = (List<Number>) cfg.get("target_shape");
          long[] out = new long[t.size() + 1];
          out[0] = -1;
          for (int i = 0; i < t.size(); i++) {
            out[i + 1] = t.get(i).longValue();
          }
          return out;
        }
        case "BatchNormalization", "QBatchNormalization" -> {
          long c = in[in.length - 1];
          if (flag("scale", true)) {
            weights.add(WeightView.shapeOnly("gamma", c));
          }
          if (flag("center", true)) {
            weights.add(WeightView.shapeOnly("beta", c));
          }
          weights.add(WeightView.shapeOnly("moving_mean", c));
          weights.add(WeightView.shapeOnly("moving_variance", c));
          return in.clone();
        }
        case "Concatenate" -> {
          long[] out = in.clone();
          out[out.length - 1] = inputShapes.stream().mapToLong(s -> s[s.length - 1]).sum();
          return out;
        }
        default -> {
          return in.clone();
        }
      }
    }

    private long[] spatial(long[] in, long[] window, long[] strides) {
      boolean same = "same".equals(cfg.get("padding"));
      long[] out = in.clone();
      for (int i = 0; i < window.length; i++) {
        long d = in[i + 1];
        out[i + 1] = same ? (d + strides[i] - 1) / strides[i] : (d - window[i]) / strides[i] + 1;
      }
      return out;
    }

    private long[] dims(String key, int rank, long fallback) {
      Object v = cfg.get(key);
      long[] out = new long[rank];
      if (v instanceof List<?> list) {
        for (int i = 0; i < rank; i++) {
          out[i] = ((Number) list.get(i)).longValue();
        }
      } else {
        Arrays.fill(out, v instanceof Number n ? n.longValue() : fallback);
      }
      return out;
    }

    private long num(String key) {
      return ((Number) cfg.get(key)).longValue();
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String className() {
      return cls;
    }

    @Override
    public List<String> inbound() {
      return inbound;
    }

    @Override
    public List<long[]> inputShapes() {
      return inputShapes;
    }

    @Override
    public long[] outputShape() {
      return outputShape;
    }

    @Override
    public Map<String, Object> config() {
      return cfg;
    }

    @Override
    public List<WeightView> weights() {
      return weights;
    }

    @Override
    public Quantizer quantizer(String key) {
      return quantizers.get(key);
    }
  }
}

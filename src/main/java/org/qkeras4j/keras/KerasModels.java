package org.qkeras4j.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.qkeras4j.layers.Layer;
import org.qkeras4j.layers.Weight;
import org.qkeras4j.model.Model;
import org.qkeras4j.util.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Keras files into qkeras4j {@link Model}s and back: builds the model from the normalized
 * config through the layer registry, then loads the weights, checking each array's layer, name
 * and shape. Either the whole model comes back or an error naming the file, the layer and the
 * problem; a half-loaded model is closed, never returned.
 */
public final class KerasModels {
  private static final Logger LOG = LoggerFactory.getLogger(KerasModels.class);
  private static final Set<String> FLOAT_DTYPES =
      Set.of("float16", "bfloat16", "float32", "float64", "mixed_float16", "mixed_bfloat16");

  private KerasModels() {}

  /** Builds the model of {@code source} and loads its weights (fresh initial weights if it has none). */
  public static Model build(KerasModelSource source) {
    Model model = buildArchitecture(source.config(), source.modelFile());
    if (source.hasWeights()) {
      try {
        loadWeights(model, source.config(), source.weights(), source.weightsSource());
      } catch (RuntimeException e) {
        model.close();
        throw e;
      }
    }
    return model;
  }

  /**
   * Builds a model with freshly initialized weights from a normalized config. Layers saved with
   * another float dtype (Keras's {@code floatx} set to float64, mixed precision) are built in
   * float32, the precision qkeras4j computes in, with a warning.
   */
  public static Model buildArchitecture(KerasModelConfig config, String file) {
    ObjectNode json = config.toJson();
    List<String> recast = new ArrayList<>();
    forceFloat32(json.get("config"), recast);
    if (!recast.isEmpty()) {
      LOG.warn("{}: {} layer(s) saved in another float dtype, built in float32 (the precision qkeras4j computes in): {}",
          file, recast.size(), recast.size() > 6 ? recast.subList(0, 6) + "..." : recast);
    }
    Map<String, Object> map = Json.MAPPER.convertValue(json, new TypeReference<Map<String, Object>>() {});
    ParameterBudget.check(config, file, KerasLimits.DEFAULT);
    try {
      return Model.fromConfig(map);
    } catch (KerasFormatException e) {
      throw e;
    } catch (RuntimeException e) {
      // Unknown classes, bad arguments, shapes that do not connect: the message names the layer.
      throw new KerasFormatException(file, "cannot build model '" + config.name() + "': " + e.getMessage(), e);
    }
  }

  /**
   * Loads {@code weights} into {@code model}. Layers are matched by name (as hls4ml and {@code
   * load_weights(by_name=True)} do); when no name matches at all, by order of the layers that have
   * weights (as Keras's default {@code load_weights} does). Within a layer, Keras 2 files are
   * matched by weight name and Keras 3 files, which store no names, by order.
   *
   * @throws KerasFormatException naming {@code file}, the layer and the weight on any mismatch
   */
  public static void loadWeights(Model model, KerasModelConfig config, KerasWeights weights, String file) {
    Map<Layer, LayerWeights> plan = plan(model, config, weights, file);
    try (NDManager tmp = model.manager().newSubManager()) {
      for (Map.Entry<Layer, LayerWeights> e : plan.entrySet()) {
        Layer layer = e.getKey();
        List<KerasWeight> ordered = orderLike(layer, e.getValue(), weights.layout(), file);
        List<NDArray> values = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
          Weight target = layer.weights().get(i);
          KerasWeight w = ordered.get(i);
          Shape want = target.value().getShape();
          Shape have = new Shape(w.shape());
          if (!want.equals(have)) {
            throw new KerasFormatException(file, layer.describe() + ": weight '" + target.name() + "' is "
                + Arrays.toString(w.shape()) + " in the file (" + w.path() + ") but the architecture needs "
                + Arrays.toString(want.getShape()));
          }
          values.add(w.dtype() == KerasWeight.DType.FLOAT32 ? tmp.create(w.toFloatArray(), have)
              : tmp.create(w.toDoubleArray(), have).toType(DataType.FLOAT32, false));
        }
        layer.setWeights(values);
      }
    }
  }

  /** Sets every layer's float dtype to float32, collecting the names of those that had another. */
  private static void forceFloat32(JsonNode modelConfig, List<String> recast) {
    for (JsonNode layer : modelConfig.path("layers")) {
      JsonNode cfg = layer.path("config");
      if (!(cfg instanceof ObjectNode o)) {
        continue;
      }
      if (layer.path("config").has("layers")) {
        forceFloat32(cfg, recast);
      }
      JsonNode dtype = o.get("dtype");
      if (dtype != null && dtype.isTextual() && FLOAT_DTYPES.contains(dtype.asText())
          && !"float32".equals(dtype.asText())) {
        recast.add(o.path("name").asText() + " (" + dtype.asText() + ")");
        o.put("dtype", "float32");
      }
    }
  }

  /** Which file layer feeds which model layer. */
  private static Map<Layer, LayerWeights> plan(Model model, KerasModelConfig config, KerasWeights weights, String file) {
    List<Layer> needing = new ArrayList<>();
    for (Layer l : model.layers()) {
      if (!l.weights().isEmpty()) {
        needing.add(l);
      }
    }
    Map<String, String> keras3Groups = weights.layout() == KerasWeights.Layout.KERAS3
        ? KerasHdf5Writer.keras3Groups(config) : Map.of();
    Map<Layer, LayerWeights> byName = new IdentityHashMap<>();
    Set<String> used = new HashSet<>();
    for (Layer l : needing) {
      LayerWeights lw = weights.layer(l.name());
      if (lw == null && keras3Groups.containsKey(l.name())) {
        lw = weights.layer("layers/" + keras3Groups.get(l.name()));
      }
      if (lw != null && !lw.isEmpty()) {
        byName.put(l, lw);
        used.add(lw.layerName());
      }
    }
    List<LayerWeights> fileLayers = weights.layersWithWeights();
    Map<Layer, LayerWeights> plan = new LinkedHashMap<>();
    List<Layer> required = needing.stream().filter(l -> !l.loadsWithoutWeights()).toList();
    if (byName.isEmpty() && !needing.isEmpty()
        && (fileLayers.size() == needing.size() || fileLayers.size() == required.size())) {
      // No name in common: Keras's default load_weights pairs layers with weights in order.
      List<Layer> paired = fileLayers.size() == needing.size() ? needing : required;
      for (int i = 0; i < paired.size(); i++) {
        plan.put(paired.get(i), fileLayers.get(i));
      }
      return plan;
    }
    for (Layer l : needing) {
      LayerWeights lw = byName.get(l);
      if (lw == null && l.loadsWithoutWeights()) {
        LOG.warn("{}: no weights for {}; it keeps their initial values {}", file, l.describe(),
            l.weights().stream().map(Weight::name).toList());
        continue;
      }
      if (lw == null) {
        LayerWeights empty = weights.layer(l.name());
        throw new KerasFormatException(file, "missing weights: " + l.describe() + " has weights "
            + l.weights().stream().map(Weight::name).toList() + " but the file has "
            + (empty == null ? "no layer named '" + l.name() + "'" : "no weights for it"));
      }
      plan.put(l, lw);
    }
    for (LayerWeights lw : fileLayers) {
      if (!used.contains(lw.layerName())) {
        throw new KerasFormatException(file, "the file has weights for layer '" + lw.layerName()
            + "', which the model does not have (or which has no weights in the model)");
      }
    }
    return plan;
  }

  /** The file's arrays in the layer's weight order. */
  private static List<KerasWeight> orderLike(Layer layer, LayerWeights lw, KerasWeights.Layout layout, String file) {
    List<Weight> targets = layer.weights();
    List<KerasWeight> have = lw.weights();
    if (have.size() != targets.size()) {
      throw new KerasFormatException(file, layer.describe() + " has " + targets.size() + " weights "
          + targets.stream().map(Weight::name).toList() + " but the file has " + have.size() + " for layer '"
          + lw.layerName() + "' " + have.stream().map(KerasWeight::name).toList());
    }
    if (layout == KerasWeights.Layout.KERAS3) {
      return have;
    }
    List<KerasWeight> out = new ArrayList<>();
    for (Weight t : targets) {
      KerasWeight w = lw.get(t.name());
      if (w == null) {
        return have; // names differ (renamed variables): Keras itself goes by order
      }
      out.add(w);
    }
    return out;
  }

  /** The model's architecture as a normalized Keras config. */
  public static KerasModelConfig configOf(Model model) {
    JsonNode json = Json.MAPPER.valueToTree(model.getConfig());
    return KerasConfigs.normalize(json, "model '" + model.name() + "'", KerasLimits.DEFAULT, null, null);
  }

  /** The model's weights, per layer in Keras order, with their Keras names, as float32. */
  public static List<LayerWeights> weightsOf(Model model) {
    List<LayerWeights> out = new ArrayList<>();
    for (Layer l : model.layers()) {
      List<KerasWeight> ws = new ArrayList<>();
      for (Weight w : l.weights()) {
        NDArray v = w.value();
        ws.add(KerasWeight.ofFloats(w.name(), "", v.getShape().getShape(),
            v.toType(DataType.FLOAT32, false).toFloatArray()));
      }
      out.add(new LayerWeights(l.name(), "", ws));
    }
    return out;
  }
}

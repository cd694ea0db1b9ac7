package org.qkeras4j.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qkeras4j.layers.quantized.QuantizedLayer;
import org.qkeras4j.model.Model;
import org.qkeras4j.tools.graph.ModelView;
import org.qkeras4j.tools.graph.NetworkView;
import org.qkeras4j.util.Json;

/** Test-only: builds a real {@link Model} from a golden case's model description. */
public final class GoldenModels {
  private GoldenModels() {}

  /** The functional model the description describes, built through its Keras config. */
  public static Model build(JsonNode description) {
    List<Object> layers = new ArrayList<>();
    for (JsonNode in : description.get("inputs")) {
      List<Object> shape = new ArrayList<>();
      shape.add(null);
      in.get("shape").forEach(d -> shape.add(d.asLong()));
      layers.add(Map.of("class_name", "InputLayer", "name", in.get("name").asText(),
          "config", Map.of("name", in.get("name").asText(), "batch_input_shape", shape),
          "inbound_nodes", List.of()));
    }
    for (JsonNode l : description.get("layers")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> cfg = Json.MAPPER.convertValue(l.get("config"), LinkedHashMap.class);
      cfg.put("name", l.get("name").asText());
      List<Object> node = new ArrayList<>();
      l.get("inbound").forEach(i -> node.add(List.of(i.asText(), 0, 0, Map.of())));
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("class_name", l.get("class_name").asText());
      entry.put("name", l.get("name").asText());
      entry.put("config", cfg);
      entry.put("inbound_nodes", List.of(node));
      layers.add(entry);
    }
    List<Object> ins = new ArrayList<>();
    description.get("inputs").forEach(i -> ins.add(List.of(i.get("name").asText(), 0, 0)));
    List<Object> outs = new ArrayList<>();
    description.get("outputs").forEach(o -> outs.add(List.of(o.asText(), 0, 0)));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", "golden");
    config.put("layers", layers);
    config.put("input_layers", ins);
    config.put("output_layers", outs);
    Model model = Model.fromConfig(Map.of("class_name", "Functional", "config", config));
    applyOverrides(model, description);
    return model;
  }

  /**
   * QKeras tests that assign {@code quantizer.scale} by hand ({@code quantizer_overrides}
   * {@code "<argument>.scale"}): the layer's quantizer is replaced by the same one with that scale
   * fixed ({@code post_training_scale}).
   */
  private static void applyOverrides(Model model, JsonNode description) {
    for (JsonNode l : description.get("layers")) {
      JsonNode overrides = l.path("quantizer_overrides");
      overrides.fieldNames().forEachRemaining(key -> {
        if (!key.endsWith(".scale")) {
          throw new IllegalArgumentException("unknown quantizer override " + key);
        }
        String argument = key.substring(0, key.length() - ".scale".length());
        QuantizedLayer q = (QuantizedLayer) model.getLayer(l.get("name").asText());
        q.setQuantizer(argument, TestQuantizers.withScale(q.quantizer(argument),
            Json.MAPPER.convertValue(overrides.get(key), Object.class)));
      });
    }
  }

  /** The real model of the description and its view; close to free the model. */
  public static Opened open(JsonNode description) {
    Model m = build(description);
    return new Opened(ModelView.of(m), m);
  }

  /** A real model built from a golden description and the view the accounting tools read. */
  public record Opened(NetworkView view, Model model) implements AutoCloseable {
    @Override
    public void close() {
      model.close();
    }
  }
}

package org.qkeras4j.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.layers.Layer;
import org.qkeras4j.layers.LayerRegistry;
import org.qkeras4j.layers.activations.ActivationFunction;
import org.qkeras4j.layers.conv.AbstractConv;
import org.qkeras4j.layers.core.Dense;
import org.qkeras4j.layers.normalization.FoldedBatchNormLayer;
import org.qkeras4j.layers.quantized.ConformanceModels;
import org.qkeras4j.layers.quantized.QuantizedLayer;
import org.qkeras4j.layers.recurrent.Bidirectional;
import org.qkeras4j.layers.recurrent.QuantizedRecurrentLayer;
import org.qkeras4j.model.Model;
import org.qkeras4j.quant.Quantizer;
import org.qkeras4j.tools.ModelSaveQuantizedWeights;
import org.qkeras4j.util.Json;

/**
 * The conversion cases of {@code conformance/layers.json} (see its {@code conventions}): every
 * {@code model_quantize} case, the {@code other} case about the float model the conversions start
 * from (autoconv-001), the {@code bn_folding} cases and the {@code clone_model_and_freeze_auto_po2_scale}
 * error case (utils-004). A failure names the case and the assertion.
 */
class ConvertConformanceTest {
  /** Cases left out, with the reason (none: every conversion case runs). */
  static final Map<String, String> EXCLUDED = Map.of();

  private static final Pattern INDEXED = Pattern.compile("layers\\[(\\d+)](\\.layer|\\.backward_layer)?");
  private static final Pattern CLASS_NAME_OF = Pattern.compile("(\\w+)\\['class_name']");
  private static final Pattern LIST_ITEM = Pattern.compile("(quantizers|get_quantizers\\(\\))\\[(\\d+)]");

  @BeforeAll
  static void engine() {
    Engines.get();
  }

  static JsonNode file() throws IOException {
    try (InputStream in = ConvertConformanceTest.class.getResourceAsStream("/conformance/layers.json")) {
      return Json.MAPPER.readTree(in);
    }
  }

  private static boolean isConversionCase(JsonNode c) {
    String kind = c.get("kind").asText();
    return kind.equals("model_quantize") || kind.equals("bn_folding")
        || Set.of("autoconv-001", "utils-004").contains(c.get("id").asText());
  }

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : file().get("cases")) {
      if (isConversionCase(c) && !EXCLUDED.containsKey(c.get("id").asText())) {
        out.add(Arguments.of(c.get("id").asText(), c));
      }
    }
    return out.stream();
  }

  @Test
  void everyConversionCaseRunsOrIsExcludedByNameWithAReason() throws IOException {
    Set<String> all = new TreeSet<>();
    for (JsonNode c : file().get("cases")) {
      if (isConversionCase(c)) {
        all.add(c.get("id").asText());
      }
    }
    assertTrue(all.containsAll(EXCLUDED.keySet()), "excluded ids that are not cases: " + EXCLUDED.keySet());
    assertEquals(19, all.size(), "14 model_quantize + 3 bn_folding + autoconv-001 + utils-004: " + all);
    assertEquals(19, all.size() - EXCLUDED.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void conversionCase(String id, JsonNode c) {
    switch (c.get("kind").asText()) {
      case "model_quantize" -> modelQuantize(id, c);
      case "bn_folding" -> bnFolding(id, c);
      default -> {
        if (id.equals("utils-004")) {
          freezeAutoPo2ScaleRaises(id, c);
          return;
        }
        try (Model model = ConformanceModels.build(c.get("model"))) {
          checkAll(id, model, c.get("expected"));
        }
      }
    }
  }

  // ---- model_quantize ------------------------------------------------------------------------

  private static void modelQuantize(String id, JsonNode c) {
    Map<String, Object> config = Json.MAPPER.convertValue(c.get("quantize_config"),
        new TypeReference<LinkedHashMap<String, Object>>() {});
    JsonNode kwargs = c.path("model_quantize_kwargs");
    ModelQuantize.Options options = ModelQuantize.Options.defaults()
        .withTransferWeights(kwargs.path("transfer_weights").asBoolean(false))
        .withPreferQAdaptiveActivation(kwargs.path("prefer_qadaptiveactivation").asBoolean(false))
        .withEnableBnFolding(kwargs.path("enable_bn_folding").asBoolean(false));
    if (c.get("model").get("inputs").isEmpty()) {
      modelQuantizeUnbuilt(id, c, config);
      return;
    }
    try (Model model = ConformanceModels.build(c.get("model"))) {
      ModelQuantize.Result r;
      try {
        r = ModelQuantize.quantize(model, QuantizeConfig.of(config), c.get("activation_bits").asInt(), options);
      } catch (RuntimeException e) {
        throw new AssertionError(id + ": model_quantize failed: " + e.getMessage(), e);
      }
      try (Model q = r.model()) {
        checkAll(id, q, c.get("expected"));
      }
    }
  }

  /**
   * A Sequential model without an input shape, which Keras never builds: QKeras converts its JSON,
   * and so does qkeras4j ({@link ModelQuantize#rewriteConfig}); the converted layers are made from
   * the rewritten JSON (unbuilt, as in Keras) and checked.
   */
  private static void modelQuantizeUnbuilt(String id, JsonNode c, Map<String, Object> config) {
    List<Object> layers = new ArrayList<>();
    for (JsonNode l : c.get("model").get("layers")) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("class_name", l.get("class_name").asText());
      entry.put("config", LayerRegistry.serialize(ConformanceModels.layer(l)).get("config"));
      layers.add(entry);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("class_name", "Sequential");
    json.put("config", new LinkedHashMap<>(Map.of("name", "sequential", "layers", layers)));
    ModelQuantize.rewriteConfig(json, QuantizeConfig.of(config), c.get("activation_bits").asInt(), false);
    List<Layer> converted = new ArrayList<>();
    for (Object l : layers) {
      @SuppressWarnings("unchecked")
      Map<String, Object> entry = (Map<String, Object>) l;
      converted.add(LayerRegistry.deserialize(entry));
    }
    for (JsonNode a : c.get("expected")) {
      check(id, converted, a);
    }
  }

  // ---- assertions ----------------------------------------------------------------------------

  private static void checkAll(String id, Model model, JsonNode assertions) {
    for (JsonNode a : assertions) {
      check(id, model, a);
    }
  }

  private static void check(String id, Model model, JsonNode a) {
    check(id, model.layers(), a);
  }

  private static void check(String id, List<Layer> layers, JsonNode a) {
    String what = id + ": " + a.get("target").asText() + "." + a.get("property").asText() + " " + a.get("op").asText()
        + " " + a.get("value");
    Layer layer = target(layers, a.get("target").asText(), what);
    Object actual;
    try {
      actual = property(layer, a.get("property").asText());
    } catch (RuntimeException e) {
      throw new AssertionError(what + ": cannot read the property of " + layer.describe() + ": " + e.getMessage(), e);
    }
    JsonNode expected = a.get("value");
    switch (a.get("op").asText()) {
      case "equals" -> {
        if (expected.isNull()) {
          assertEquals(null, actual, what);
        } else {
          assertEquals(expected.asText(), String.valueOf(actual), what);
        }
      }
      case "startswith" -> assertTrue(String.valueOf(actual).startsWith(expected.asText()),
          what + ", got '" + actual + "'");
      default -> fail(what + ": unknown op");
    }
  }

  private static Layer target(List<Layer> layers, String target, String what) {
    Matcher m = INDEXED.matcher(target);
    if (!m.matches()) {
      fail(what + ": unknown target");
    }
    int index = Integer.parseInt(m.group(1));
    if (index >= layers.size()) {
      fail(what + ": the model has only " + layers.size() + " layers " + layers);
    }
    Layer layer = layers.get(index);
    if (m.group(2) == null) {
      return layer;
    }
    if (!(layer instanceof Bidirectional bi)) {
      throw new AssertionError(what + ": " + layer.describe() + " is not a Bidirectional layer");
    }
    return m.group(2).equals(".layer") ? bi.layer() : bi.backwardLayer();
  }

  /** A QKeras attribute of a layer, as the assertions name it. */
  static Object property(Layer layer, String property) {
    if (property.equals("class_name")) {
      return layer.className();
    }
    if (property.equals("activation.__name__")) {
      ActivationFunction f = layer instanceof AbstractConv conv ? conv.activation()
          : layer instanceof Dense d ? d.activation() : null;
      if (f == null) {
        throw new IllegalArgumentException("no activation function");
      }
      return f.serialize();
    }
    boolean str = property.startsWith("str(") && property.endsWith(")");
    String attribute = str ? property.substring(4, property.length() - 1) : property;
    if (layer instanceof QuantizedRecurrentLayer r && !attribute.endsWith("_internal")
        && !attribute.startsWith("activation") && !attribute.startsWith("recurrent_activation")) {
      // QKeras's recurrent layers keep the quantizer arguments as given (a string, or a dict
      // in a layer rebuilt from a config) beside the quantizer objects (..._internal).
      Matcher dict = CLASS_NAME_OF.matcher(attribute);
      if (dict.matches()) {
        return ((Map<?, ?>) r.givenQuantizer(dict.group(1))).get("class_name");
      }
      return String.valueOf(r.givenQuantizer(attribute));
    }
    Quantizer q = quantizer(layer, attribute);
    return q == null ? null : str ? q.toString() : q;
  }

  private static Quantizer quantizer(Layer layer, String attribute) {
    if (!(layer instanceof QuantizedLayer q)) {
      throw new IllegalArgumentException("not a quantized layer");
    }
    Matcher m = LIST_ITEM.matcher(attribute);
    if (m.matches()) {
      return q.getQuantizers().get(Integer.parseInt(m.group(2)));
    }
    return switch (attribute) {
      case "activation", "quantizer" -> q.quantizer("activation");
      case "recurrent_activation" -> q.quantizer("recurrent_activation");
      case "average_quantizer_internal" -> q.quantizer("average_quantizer");
      default -> q.quantizer(attribute.replace("_internal", ""));
    };
  }

  // ---- clone_model_and_freeze_auto_po2_scale -------------------------------------------------

  /** QKeras raises ValueError for a layer with two auto_po2 quantizers; qkeras4j names the layer. */
  private static void freezeAutoPo2ScaleRaises(String id, JsonNode c) {
    assertEquals("ValueError", c.get("expected").get("raises").asText(), id + ": expected error");
    try (Model model = ConformanceModels.build(c.get("model"))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> FreezeAutoPo2Scale.cloneModelAndFreezeAutoPo2Scale(model, false), id);
      assertTrue(e.getMessage().contains("'dense'") && e.getMessage().contains("more than one auto_po2"),
          id + ": message names the layer: " + e.getMessage());
    }
  }

  // ---- bn_folding ----------------------------------------------------------------------------

  private static void bnFolding(String id, JsonNode c) {
    switch (id) {
      case "bnfold-002" -> foldedWeights(id, c);
      case "utils-002" -> fusingPairs(id, c);
      case "bnfold-001" -> populateBiasQuantizer(id, c);
      default -> fail(id + ": no runner for this bn_folding case");
    }
  }

  /** get_folded_weights() of the folded layer, as the case lists them. */
  private static void foldedWeights(String id, JsonNode c) {
    try (Model model = ConformanceModels.build(c.get("model"))) {
      FoldedBatchNormLayer layer = (FoldedBatchNormLayer) model.layers().get(1);
      NDArray[] w = layer.getFoldedWeights();
      JsonNode expected = c.get("expected").get("get_folded_weights");
      double rtol = c.get("rtol").asDouble();
      double atol = c.get("atol").asDouble();
      assertClose(id + ": folded_depthwise_kernel", ConformanceModels.floats(expected.get("folded_depthwise_kernel")),
          w[0].toFloatArray(), rtol, atol);
      assertClose(id + ": folded_bias", ConformanceModels.floats(expected.get("folded_bias")), w[1].toFloatArray(),
          rtol, atol);
      assertEquals(List.of(2L, 2L, 1L, 1L), List.of(w[0].getShape().get(0), w[0].getShape().get(1),
          w[0].getShape().get(2), w[0].getShape().get(3)), id + ": folded kernel shape");
    }
  }

  /** find_bn_fusing_layer_pair, then add_bn_fusing_weights(conv1, bn1) with the case's weights. */
  private static void fusingPairs(String id, JsonNode c) {
    try (Model model = ConformanceModels.build(c.get("model"))) {
      JsonNode expected = c.get("expected");
      Map<String, String> pairs = BatchNormFolding.findBnFusingLayerPair(model);
      Map<String, String> expectedPairs = Json.MAPPER.convertValue(expected.get("find_bn_fusing_layer_pair[0]"),
          new TypeReference<Map<String, String>>() {});
      assertEquals(expectedPairs, pairs, id + ": find_bn_fusing_layer_pair[0]");
      ModelSaveQuantizedWeights.LayerWeights entry = new ModelSaveQuantizedWeights.LayerWeights();
      ModelSaveQuantizedWeights.addBnFusingWeights(model.getLayer("conv1"), model.getLayer("bn1"), entry);
      JsonNode fusing = expected.get("add_bn_fusing_weights(conv1, bn1)");
      assertEquals(fusing.get("enable_bn_fusing").asBoolean(), entry.enableBnFusing(), id + ": enable_bn_fusing");
      assertEquals(fusing.get("fused_bn_layer_name").asText(), entry.fusedBnLayerName(), id + ": fused_bn_layer_name");
      assertClose(id + ": bn_inv", ConformanceModels.floats(fusing.get("bn_inv")), entry.bnInv().data(), 0, 0);
      assertClose(id + ": fused_bias", ConformanceModels.floats(fusing.get("fused_bias")), entry.fusedBias().data(), 0, 0);
    }
  }

  /** populate_bias_quantizer_from_accumulator: before, after a first call, after a second call. */
  private static void populateBiasQuantizer(String id, JsonNode c) {
    List<Object> sources = Json.MAPPER.convertValue(c.get("source_quantizers"), new TypeReference<List<Object>>() {});
    try (Model model = ConformanceModels.build(c.get("model"))) {
      JsonNode expected = c.get("expected");
      checkAll(id + " before", model, expected.get("before"));
      BatchNormFolding.populateBiasQuantizerFromAccumulator(model, sources);
      checkAll(id + " after_first_call", model, expected.get("after_first_call"));
      BatchNormFolding.populateBiasQuantizerFromAccumulator(model, sources);
      checkAll(id + " after_second_call", model, expected.get("after_second_call"));
    }
  }

  private static void assertClose(String what, float[] expected, float[] actual, double rtol, double atol) {
    assertEquals(expected.length, actual.length, what + " length");
    for (int i = 0; i < expected.length; i++) {
      double tol = atol + rtol * Math.abs(expected[i]);
      assertTrue(Math.abs(actual[i] - expected[i]) <= tol,
          what + "[" + i + "]: expected " + expected[i] + " but got " + actual[i] + " (rtol " + rtol + ", atol " + atol + ")");
    }
  }
}

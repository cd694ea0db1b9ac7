package org.qkeras4j.autoq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.qkeras4j.tools.DescribedNetwork;
import org.qkeras4j.tools.graph.NetworkView;
import org.qkeras4j.util.Json;

class BitsCostTest {
  private static final BitsCost COST = BitsCost.defaults();

  static DescribedNetwork net(String json) {
    try {
      JsonNode n = Json.MAPPER.readTree(json.replace('\'', '"'));
      return DescribedNetwork.of(n);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final String NET = "{'inputs': [{'name': 'x', 'shape': [10]}], 'layers': ["
      + "{'name': 'd', 'class_name': 'QDense', 'inbound': ['x'], 'config': {'units': 4,"
      + "  'kernel_quantizer': 'quantized_po2(4)', 'activation': 'relu'}},"
      + "{'name': 'bn', 'class_name': 'QBatchNormalization', 'inbound': ['d'], 'config': {'scale': false}},"
      + "{'name': 'sig', 'class_name': 'Activation', 'inbound': ['bn'], 'config': {'activation': 'sigmoid'}},"
      + "{'name': 'q', 'class_name': 'QActivation', 'inbound': ['sig'], 'config': {'activation': 'quantized_relu(3,0)'}}],"
      + "'outputs': ['q']}";

  @Test
  void perLayerBitsFollowQuantizersAndActivations() {
    BitsCost.Size s = COST.measure(net(NET));
    // Input: 10 values at 8 bits.
    assertEquals(new BitsCost.LayerBits(0, 80, 80), s.layers().get("x"));
    // Kernel 10x4 at 4 bits, unquantized bias 4 at 8 bits; a relu output counts at 8 bits.
    assertEquals(new BitsCost.LayerBits(40 * 4 + 4 * 8, 4 * 8, 192 + 32), s.layers().get("d"));
    // QBatchNormalization without scale: variance at 6 bits and beta at 5 bits.
    assertEquals(new BitsCost.LayerBits(4 * 6 + 4 * 5, 0, 44), s.layers().get("bn"));
    // A sigmoid output is an output: output_bits.
    assertEquals(new BitsCost.LayerBits(0, 32, 32), s.layers().get("sig"));
    assertEquals(new BitsCost.LayerBits(0, 12, 12), s.layers().get("q"));
    assertEquals(80 + 224 + 44 + 32 + 12, s.total());
    assertEquals(192 + 44, s.parameters());
  }

  @Test
  void recurrentLayersCountTheirWeightsAtTheirQuantizersWidthAndTheirOutputAtTheActivationsWidth() {
    org.qkeras4j.engine.Engines.get();
    try (org.qkeras4j.model.Model m = org.qkeras4j.model.Model.sequential(new long[] {5, 1},
        org.qkeras4j.layers.LayerRegistry.create("QSimpleRNN", Map.of("name", "q", "units", 8, "return_sequences", true,
            "kernel_quantizer", "quantized_bits(4,0,1)", "recurrent_quantizer", "quantized_bits(6,0,1)",
            "activation", "quantized_relu(3)")),
        org.qkeras4j.layers.LayerRegistry.create("Bidirectional", Map.of("name", "bi",
            "layer", Map.of("class_name", "LSTM", "config", Map.of("units", 4)))))) {
      BitsCost.Size s = COST.measure(org.qkeras4j.tools.graph.ModelView.of(m));
      // Kernel 1x8 at 4 bits, recurrent kernel 8x8 at 6 bits, unquantized bias 8 at 8 bits;
      // the 5 x 8 outputs at quantized_relu(3)'s 3 bits.
      assertEquals(new BitsCost.LayerBits(8 * 4 + 64 * 6 + 8 * 8, 5 * 8 * 3, 480 + 120), s.layers().get("q"));
      // Two LSTMs of 4 * (8 * 4 + 4 * 4 + 4) float parameters at 8 bits; 8 float outputs.
      assertEquals(new BitsCost.LayerBits(2 * 4 * (32 + 16 + 4) * 8, 8 * 8, 3328 + 64), s.layers().get("bi"));
    }
  }

  @Test
  void classesWithoutARuleAreNotCounted() {
    BitsCost onlyDense = new BitsCost(8, 8, 8, Map.of("QDense", List.of("parameters")));
    BitsCost.Size s = onlyDense.measure(net(NET));
    assertEquals(List.of("d"), List.copyOf(s.layers().keySet()));
    assertEquals(192, s.total());
  }

  @Test
  void sequentialModelsDoNotCountTheirInput() {
    DescribedNetwork described = net(NET);
    NetworkView sequential = new NetworkView() {
      @Override
      public List<Input> inputs() {
        return described.inputs();
      }

      @Override
      public List<org.qkeras4j.tools.graph.LayerView> layers() {
        return described.layers();
      }

      @Override
      public List<String> outputs() {
        return described.outputs();
      }

      @Override
      public boolean listsInputLayers() {
        return false;
      }
    };
    assertFalse(COST.measure(sequential).layers().containsKey("x"));
    assertEquals(COST.measure(described).total() - 80, COST.measure(sequential).total());
  }

  @Test
  void reportsCarryLayersAndTotals() {
    BitsCost.Size s = COST.measure(net(NET));
    JsonNode j = CostReports.toJson(s);
    assertEquals(192, j.get("layers").get("d").get("param_bits").asLong());
    assertEquals(32, j.get("layers").get("d").get("act_bits").asLong());
    assertEquals(s.total(), j.get("total_bits").asLong());
    String table = CostReports.table(s);
    assertEquals("Total bits: " + s.total() + " (parameters 236, activations " + s.activations() + ")",
        table.lines().reduce((a, b) -> b).orElseThrow());
  }
}

package org.qkeras4j.tools.qtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.layers.Names;
import org.qkeras4j.model.Model;
import org.qkeras4j.tools.QbnInferenceModel;
import org.qkeras4j.tools.ModelSaveQuantizedWeights;
import org.qkeras4j.tools.energy.EnergyModel;
import org.qkeras4j.tools.energy.EnergyOptions;
import org.qkeras4j.tools.energy.Memory;
import org.qkeras4j.tools.energy.QEnergy;
import org.qkeras4j.tools.graph.ModelView;

/**
 * QTools with {@code hw_weight_dict}: a QConv2D followed by a QBatchNormalization is priced as one
 * fused hardware operation. The model and its weights are QKeras's {@code qbn_model_inference}
 * ({@link QbnInferenceModel}), run as tests/qtools_model_test.py::test_qbn_inference does: source
 * {@code quantized_bits(4, 0, 1)}, {@code is_inference=True} and {@code hw_weight_dict =
 * model_save_quantized_weights(model)}; the expected numbers are that test's.
 *
 * <p>How the expected numbers follow from QKeras's rules (bits / integer bits without the sign; the
 * JSON map adds the sign bit to int_bits). A fixed-point product has the integer bits and the
 * fractional bits of both operands plus one sign bit; a sum of n products grows by ceil(log2 n)
 * integer bits; an adder keeps the larger fractional part and grows one integer bit; an auto_po2
 * scale 2^s (per channel) moves a product by s bits: max s more integer bits, -min s more
 * fractional bits.
 */
class BnFusingDataTypeMapTest {
  @BeforeEach
  void setUp() {
    Names.reset();
    Engines.get();
  }

  private static Model model() {
    return QbnInferenceModel.build();
  }

  private static QToolsOptions options(Map<String, ModelSaveQuantizedWeights.LayerWeights> hw) {
    return QToolsOptions.defaults().withSources(List.of(QType.fixed(4, 0, true))).withInference(true)
        .withBnFusing(ModelSaveQuantizedWeights.bnFusingPairs(hw));
  }

  private static void assertFixed(JsonNode q, int bits, int intBitsWithSign) {
    assertEquals("quantized_bits", q.get("quantizer_type").asText(), q.toString());
    assertEquals(bits, q.get("bits").asInt(), q.toString());
    assertEquals(intBitsWithSign, q.get("int_bits").asInt(), q.toString());
    assertEquals(1, q.get("is_signed").asInt(), q.toString());
  }

  @Test
  void convFusedWithItsBatchNormGetsQKerasFusedAccumulator() throws Exception {
    try (Model m = model()) {
      Map<String, ModelSaveQuantizedWeights.LayerWeights> hw = ModelSaveQuantizedWeights.save(m, null, s -> { });
      assertEquals(Map.of("qconv2d_1", "qbn_2", "qconv2d_3", "qbn_4"), ModelSaveQuantizedWeights.bnFusingPairs(hw));
      ObjectNode map = DataTypeMapJson.toJson(DataTypeMap.generate(ModelView.of(m), options(hw)));

      // qconv2d_1: weight (4,0,1) x input (4,0,1): 3 + 3 fractional bits, 0 integer, sign -> 7 bits.
      JsonNode c1 = map.get("qconv2d_1");
      assertFixed(c1.get("multiplier"), 7, 1);
      assertEquals("mul", c1.get("multiplier").get("op_type").asText());
      // 2x2x1 = 4 products: +2 integer bits -> 9 bits, 2 integer; no bias.
      assertFixed(c1.get("accumulator"), 9, 3);
      // inv (16,0,1) x sum (9, 2 int): 15 + 6 fractional, 2 integer -> 24 bits; inv x mean (6,0,1):
      // 15 + 5 fractional -> 21 bits; no bias, no beta; their sum: 3 integer, 21 fractional -> 25 bits.
      assertFixed(c1.get("fused_accumulator"), 25, 4);
      assertEquals("add", c1.get("fused_accumulator").get("op_type").asText());
      assertFixed(c1.get("bn_inverse_quantizer"), 16, 1);
      assertFixed(c1.get("bn_mean_quantizer"), 6, 1);
      assertFixed(c1.get("bn_beta_quantizer"), 6, 1);
      // Without an activation, the layer outputs the fused result.
      assertFixed(c1.get("output_quantizer"), 25, 4);

      // qconv2d_3: quantized_bits(3, 0) on a kernel becomes alpha='auto_po2'; the largest weights
      // per output channel (10 and 1.5) give scales 16 and 2. Multiplier (3,0) x act (5,0,1):
      // 2 + 4 fractional bits, sign -> 7 bits; widened by log2 16 = 4 integer bits and -log2 2 = -1
      // fractional bits -> 4 integer, 5 fractional, 10 bits.
      JsonNode c3 = map.get("qconv2d_3");
      assertFixed(c3.get("multiplier"), 10, 5);
      // 4 products: 6 integer, 5 fractional (12 bits); + bias (3,2): 7 integer -> 13 bits.
      assertFixed(c3.get("accumulator"), 13, 8);
      // inv is quantized_bits(8, 0, 1, auto_po2) of 1/sqrt([0.3, 16.8] + 0.001) = [1.82, 0.24]; its
      // scale is 2 for both, so every product with inv gains 1 integer bit and loses 1 fractional bit:
      // inv x sum (12, 6 int): 19 bits, 7 integer; inv x bias (3, 2 int): 10 bits, 3 integer;
      // inv x mean (6,0,1): 13 bits, 1 integer; bias part = their sum: 4 integer, 11 fractional;
      // fused = inv x sum + bias part: 8 integer, 11 fractional -> 20 bits.
      assertFixed(c3.get("fused_accumulator"), 20, 9);

      // The fused batch normalizations pass their input type on and do no work of their own.
      JsonNode bn2 = map.get("qbn_2");
      assertEquals(c1.get("output_quantizer").get("bits"), bn2.get("output_quantizer").get("bits"));
      assertFalse(bn2.has("internal_divide_quantizer"));
      assertFalse(bn2.has("mean_quantizer"));
      assertFixed(map.get("qbn_4").get("output_quantizer"), 20, 9);
    }
  }

  @Test
  void withoutHwWeightDictTheSameModelKeepsSeparateBatchNorms() throws Exception {
    try (Model m = model()) {
      ModelSaveQuantizedWeights.save(m, null, s -> { });
      QToolsOptions o = QToolsOptions.defaults().withSources(List.of(QType.fixed(4, 0, true))).withInference(true);
      DataTypeMap map = DataTypeMap.generate(ModelView.of(m), o);
      LayerTypes c1 = map.layer("qconv2d_1");
      // Not fused: the fused accumulator is the accumulator itself (no auto_po2 kernel here).
      assertEquals(c1.accumulator(), c1.fusedAccumulator());
      assertNull(c1.bnInverse());
      assertTrue(map.layer("qbn_2").batchNorm() != null);
      // The unfused auto_po2 conv keeps its multiplier (7 bits) and widens only the fused accumulator.
      assertEquals(7, map.layer("qconv2d_3").multiplier().output().bits());
    }
  }

  @Test
  void fusedBatchNormsCostNoOperationsInTheEnergyEstimate() throws Exception {
    try (Model m = model()) {
      Map<String, ModelSaveQuantizedWeights.LayerWeights> hw = ModelSaveQuantizedWeights.save(m, null, s -> { });
      EnergyOptions eo = new EnergyOptions(Memory.SRAM, Memory.SRAM, 0, false);
      QEnergy.Report fused = QEnergy.estimate(DataTypeMap.generate(ModelView.of(m), options(hw)), eo,
          EnergyModel.horowitz());
      assertEquals(0.0, fused.layer("qbn_2").part("op_cost"));
      assertEquals(0.0, fused.layer("qbn_2").part("parameters"));
      assertTrue(fused.layer("qconv2d_1").part("op_cost") > 0);
    }
  }

  @Test
  void pairingALayerWithSomethingOtherThanItsBatchNormIsAnError() throws Exception {
    try (Model m = model()) {
      QToolsOptions o = QToolsOptions.defaults().withBnFusing(Map.of("qconv2d_1", "act"));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> DataTypeMap.generate(ModelView.of(m), o));
      assertEquals("batch-norm fusing pairs layer 'qconv2d_1' (QConv2D) with 'act', which is not a batch normalization"
          + " reading only that layer's output", e.getMessage());
    }
  }
}

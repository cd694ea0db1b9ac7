package org.qkeras4j.tools.qtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.qkeras4j.tools.DescribedNetwork;
import org.qkeras4j.util.Json;

class DataTypeMapTest {

  static DescribedNetwork net(String json) {
    try {
      JsonNode n = Json.MAPPER.readTree(json.replace('\'', '"'));
      return DescribedNetwork.of(n);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final String MLP = "{'inputs': [{'name': 'x', 'shape': [16]}], 'layers': ["
      + "{'name': 'd0', 'class_name': 'QDense', 'inbound': ['x'], 'config': {'units': 8,"
      + "  'kernel_quantizer': 'quantized_bits(4,0,1)', 'bias_quantizer': 'quantized_bits(4,0,1)'}},"
      + "{'name': 'drop', 'class_name': 'Dropout', 'inbound': ['d0'], 'config': {'rate': 0.5}},"
      + "{'name': 'act', 'class_name': 'QActivation', 'inbound': ['drop'], 'config': {'activation': 'quantized_relu(3,0)'}},"
      + "{'name': 'pad', 'class_name': 'ZeroPadding1D', 'inbound': ['act'], 'config': {}},"
      + "{'name': 'd1', 'class_name': 'Dense', 'inbound': ['pad'], 'config': {'units': 4, 'activation': 'relu'}}],"
      + "'outputs': ['d1']}";

  @Test
  void dropoutIsSkippedAndItsConsumerReadsItsInput() {
    DataTypeMap map = DataTypeMap.generate(net(MLP), QToolsOptions.defaults());
    assertFalse(map.layers().containsKey("drop"));
    // d0: (4,0,1) x default int8 input -> 11 bits; sum of 16 -> 15; + (4,0,1) bias -> 16 bits.
    assertEquals(QType.fixed(16, 5, true), map.layer("d0").output());
    assertEquals(List.of(map.layer("d0").output()), map.layer("act").inputs());
    assertFalse(map.layer("d0").writesModelOutput());
    assertTrue(map.layer("d0").readsModelInput());
  }

  @Test
  void weightlessPassThroughLayersKeepTheirInputType() {
    DataTypeMap map = DataTypeMap.generate(net(MLP), QToolsOptions.defaults());
    assertEquals(map.layer("act").output(), map.layer("pad").output());
    assertEquals(LayerTypes.Kind.PASS_THROUGH, map.layer("pad").kind());
  }

  @Test
  void unquantizedLayersUseTheKerasTypes() {
    QToolsOptions o = QToolsOptions.defaults().withKerasTypes(QTypes.reference("fp16"), QTypes.reference("fp32"));
    LayerTypes d1 = DataTypeMap.generate(net(MLP), o).layer("d1");
    assertEquals(QType.floatingPoint(16), d1.weight());
    assertEquals(QType.floatingPoint(32), d1.output());
    assertEquals("mul", d1.multiplier().implementedAs());
    assertTrue(d1.writesModelOutput());
  }

  @Test
  void referenceRunTypesEveryLayerWithTheKerasTypes() {
    QToolsOptions o = QToolsOptions.defaults()
        .withKerasTypes(QTypes.reference("int8"), QTypes.reference("int32")).withForReference(true);
    DataTypeMap map = DataTypeMap.generate(net(MLP), o);
    assertEquals(QTypes.reference("int8"), map.layer("d0").weight());
    assertEquals(QTypes.reference("int32"), map.layer("d0").output());
    assertEquals(QTypes.reference("int32"), map.layer("act").output());
    // The gate is still the real one: int8 x int8.
    assertEquals(8, map.layer("d0").multiplier().gateBits(), 1e-12);
  }

  @Test
  void unknownLayerClassIsAnErrorNamingTheLayer() {
    String json = "{'inputs': [{'name': 'x', 'shape': [5, 3]}], 'layers': ["
        + "{'name': 'mine', 'class_name': 'MyCustomLayer', 'inbound': ['x'], 'config': {}}], 'outputs': ['mine']}";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DataTypeMap.generate(net(json), QToolsOptions.defaults()));
    assertEquals("QTools cannot account for layer 'mine' (MyCustomLayer): layer class 'MyCustomLayer' has no"
        + " data-type model", e.getMessage());
  }

  @Test
  void recurrentLayerPassesItsInputTypeThroughAsInQKeras() {
    String json = "{'inputs': [{'name': 'x', 'shape': [5, 3]}], 'layers': ["
        + "{'name': 'rnn', 'class_name': 'SimpleRNN', 'inbound': ['x'], 'config': {'units': 4}}], 'outputs': ['rnn']}";
    DataTypeMap map = DataTypeMap.generate(net(json), QToolsOptions.defaults().withSources(List.of(QTypes.reference("int16"))));
    assertEquals(QTypes.reference("int16"), map.layer("rnn").output());
    assertNull(map.layer("rnn").multiplier());
  }

  @Test
  void unsupportedActivationQuantizerIsAnErrorNamingLayerAndQuantizer() {
    String json = "{'inputs': [{'name': 'x', 'shape': [5]}], 'layers': ["
        + "{'name': 'a', 'class_name': 'QActivation', 'inbound': ['x'], 'config': {'activation': 'quantized_hswish(4)'}}],"
        + "'outputs': ['a']}";
    UnsupportedQuantizerException e = assertThrows(UnsupportedQuantizerException.class,
        () -> DataTypeMap.generate(net(json), QToolsOptions.defaults()));
    assertTrue(e.getMessage().startsWith("unsupported activation quantized_hswish"), e.getMessage());
    assertTrue(e.getMessage().contains(" of layer 'a' (QActivation): QTools has no model for quantizer 'quantized_hswish'"),
        e.getMessage());
  }

  @Test
  void oneSourceQuantizerServesEveryInput() {
    String json = "{'inputs': [{'name': 'a', 'shape': [4]}, {'name': 'b', 'shape': [4]}], 'layers': ["
        + "{'name': 'add', 'class_name': 'Add', 'inbound': ['a', 'b'], 'config': {}}], 'outputs': ['add']}";
    DataTypeMap map = DataTypeMap.generate(net(json),
        QToolsOptions.defaults().withSources(List.of(QTypes.reference("int16"))));
    assertEquals(List.of(QTypes.reference("int16"), QTypes.reference("int16")), map.sources());
    assertEquals(QType.fixed(17, 8, true), map.layer("add").output());
    assertNull(map.layer("add").accumulator());
  }

  @Test
  void separableConvolutionChainsDepthwiseSumsIntoThePointwiseMultiplier() {
    var n = new org.qkeras4j.tools.SimpleNetwork().input("x", 8, 8, 3)
        .layer("sep", "QSeparableConv2D", "x").out(6, 6, 4)
        .weight("depthwise_kernel", null, 3, 3, 3, 1)
        .weight("pointwise_kernel", null, 1, 1, 3, 4)
        .weight("bias", null, 4)
        .quantizer("depthwise_quantizer", "ternary")
        .quantizer("pointwise_quantizer", "quantized_bits(4,0,1)")
        .quantizer("bias_quantizer", "quantized_bits(4,0,1)").done()
        .output("sep");
    LayerTypes t = DataTypeMap.generate(n, QToolsOptions.defaults()).layer("sep");
    // ternary x int8: an 8-bit mux; 9 taps: +4 bits.
    assertEquals("mux", t.depthwiseMultiplier().implementedAs());
    assertEquals(QType.fixed(12, 4, true), t.depthwiseAccumulator().output());
    // quantized_bits(4,0,1) x the 12-bit sums: 15 bits; 3 channels: +2; bias adder: 18 bits.
    assertEquals(QType.fixed(15, 4, true), t.multiplier().output());
    assertEquals(QType.fixed(18, 7, true), t.output());
    assertEquals(9 * 36 * 3, t.depthwiseOperations());
    assertEquals(9 * 36 * 3 + 36 * 4 * 3, t.operationCount());
    var json = DataTypeMapJson.toJson(DataTypeMap.generate(n, QToolsOptions.defaults())).get("sep");
    assertEquals("[1,1,3,4]", json.get("pointwise_quantizer").get("shape").toString());
    assertEquals("mux", json.get("depthwise_multiplier").get("op_type").asText());
  }

  @Test
  void transposedConvolutionCountsEveryInputThroughTheWholeKernel() {
    var n = new org.qkeras4j.tools.SimpleNetwork().input("x", 4, 4, 3)
        .layer("up", "QConv2DTranspose", "x").out(8, 8, 5)
        .weight("kernel", null, 3, 3, 5, 3).weight("bias", null, 5)
        .quantizer("kernel_quantizer", "quantized_bits(8,0,1)").quantizer("bias_quantizer", "quantized_bits(8,0,1)")
        .done().output("up");
    LayerTypes t = DataTypeMap.generate(n, QToolsOptions.defaults()).layer("up");
    assertEquals(4 * 4 * 3 * 3 * 3 * 5, t.operationCount());
    // An output sums at most the 3x3 window over the 3 input channels (27 products: +5 bits) of
    // int8 x int8 products (15 bits), then the int8 bias.
    assertEquals(LayerTypes.Kind.MAC, t.kind());
    assertEquals(QType.fixed(21, 6, true), t.accumulator().output());
  }

  @Test
  void scaleShiftMultipliesEveryElementByOneScalar() {
    var n = new org.qkeras4j.tools.SimpleNetwork().input("x", 4, 4, 2)
        .layer("ss", "QScaleShift", "x")
        .weight("weight", null, 1, 1).weight("bias", null, 1, 1)
        .quantizer("weight_quantizer", "quantized_bits(4,0,1)").quantizer("bias_quantizer", "quantized_bits(4,0,1)")
        .done().output("ss");
    LayerTypes t = DataTypeMap.generate(n, QToolsOptions.defaults()).layer("ss");
    assertEquals(32, t.operationCount());
    assertEquals(QType.fixed(11, 0, true), t.multiplier().output());
    assertEquals(QType.fixed(12, 1, true), t.output());
  }

  @Test
  void depthwiseTransposeSumsItsGroupWindowAndAddsNoBias() {
    var n = new org.qkeras4j.tools.SimpleNetwork().input("x", 4, 4, 2)
        .layer("dt", "QDepthwiseConv2DTranspose", "x").out(8, 8, 2)
        .weight("depthwise_kernel", null, 3, 3, 2, 1).weight("bias", null, 2)
        .quantizer("depthwise_kernel_quantizer", "quantized_bits(4,0,1)")
        .quantizer("depthwise_activation", "quantized_relu(6,2)").done().output("dt");
    DataTypeMap map = DataTypeMap.generate(n, QToolsOptions.defaults());
    LayerTypes t = map.layer("dt");
    assertEquals(4 * 4 * 2 * 9, t.operationCount());
    assertEquals(QType.fixed(15, 4, true), t.accumulator().output());
    assertNull(t.bias());
    assertEquals(QTypes.of(org.qkeras4j.quant.Quantizers.parse("quantized_relu(6,2)")), t.output());
  }

  @Test
  void separableTransposeChainsItsTwoTransposedParts() {
    var n = new org.qkeras4j.tools.SimpleNetwork().input("x", 4, 4, 3)
        .layer("st", "QSeparableConv2DTranspose", "x").out(8, 8, 5)
        .weight("depthwise_kernel", null, 3, 3, 1, 3).weight("pointwise_kernel", null, 1, 1, 5, 3).weight("bias", null, 5)
        .quantizer("depthwise_kernel_quantizer", "quantized_bits(4,0,1)")
        .quantizer("pointwise_kernel_quantizer", "quantized_bits(4,0,1)")
        .quantizer("bias_quantizer", "quantized_bits(4,0,1)").done().output("st");
    LayerTypes t = DataTypeMap.generate(n, QToolsOptions.defaults()).layer("st");
    assertEquals(48 * 9, t.depthwiseOperations());
    assertEquals(48 * 9 + 320 * 3, t.operationCount());
    assertEquals(QType.fixed(15, 4, true), t.depthwiseAccumulator().output());
    assertEquals(QType.fixed(18, 4, true), t.multiplier().output());
    assertEquals(QType.fixed(21, 7, true), t.output());
  }
}

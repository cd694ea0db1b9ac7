package org.qkeras4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.qkeras4j.layers.recurrent.RecurrentLayersTest.BATCH;
import static org.qkeras4j.layers.recurrent.RecurrentLayersTest.FEATURES;
import static org.qkeras4j.layers.recurrent.RecurrentLayersTest.STEPS;
import static org.qkeras4j.layers.recurrent.RecurrentLayersTest.UNITS;
import static org.qkeras4j.layers.recurrent.RecurrentLayersTest.expected;
import static org.qkeras4j.layers.recurrent.RecurrentLayersTest.input;
import static org.qkeras4j.layers.recurrent.RecurrentLayersTest.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.layers.Layer;
import org.qkeras4j.layers.LayerTesting;
import org.qkeras4j.layers.QuantizedLayerTesting;
import org.qkeras4j.quant.Quantizer;
import org.qkeras4j.quant.Quantizers;

class QRecurrentLayersTest {
  @BeforeAll
  static void engine() {
    Engines.get();
  }

  /** A quantizer applied to one number (through the quantizer's own array code). */
  static DoubleUnaryOperator scalar(String spec) {
    Quantizer q = Quantizers.parse(spec);
    return v -> {
      try (NDManager m = NDManager.newBaseManager()) {
        return q.apply(m.create(new float[] {(float) v}), false).toFloatArray()[0];
      }
    };
  }

  /** A quantizer applied to weights. */
  static float[] quantized(String spec, float[] w) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = Quantizers.parse(spec).apply(m.create(w), false);
      return a.toFloatArray();
    }
  }

  @Test
  void withoutQuantizersEachQLayerComputesExactlyWhatItsFloatLayerComputes() {
    long[] shape = {BATCH, STEPS, FEATURES};
    QuantizedLayerTesting.assertSameAsFloat(layer("QSimpleRNN", "units", 3, "activation", "tanh"),
        layer("SimpleRNN", "units", 3), shape);
    QuantizedLayerTesting.assertSameAsFloat(layer("QLSTM", "units", 3, "activation", "tanh",
        "recurrent_activation", "sigmoid", "return_sequences", true), layer("LSTM", "units", 3, "return_sequences", true),
        shape);
    QuantizedLayerTesting.assertSameAsFloat(
        layer("QGRU", "units", 3, "activation", "tanh", "recurrent_activation", "sigmoid", "reset_after", true),
        layer("GRU", "units", 3), shape);
    QuantizedLayerTesting.assertSameAsFloat(
        layer("QGRU", "units", 3, "activation", "relu", "recurrent_activation", "sigmoid", "go_backwards", true),
        layer("GRU", "units", 3, "activation", "relu", "reset_after", false, "go_backwards", true), shape);
  }

  @Test
  void qsimpleRnnQuantizesKernelsBiasAndThePreviousStateBeforeEachStep() {
    String kq = "quantized_bits(4,0,1,alpha=1)";
    String bq = "quantized_bits(3,0,1,alpha=1)";
    String sq = "quantized_bits(3,0,1,alpha=1)";
    float[] k = LayerTesting.random(FEATURES * UNITS, 61);
    float[] u = LayerTesting.random(UNITS * UNITS, 62);
    float[] b = LayerTesting.random(UNITS, 63);
    float[] x = input();
    float[] qk = quantized(kq, k);
    float[] qu = quantized(kq, u);
    float[] qb = quantized(bq, b);
    Layer rnn = layer("QSimpleRNN", "units", UNITS, "kernel_quantizer", kq, "recurrent_quantizer", kq,
        "bias_quantizer", bq, "state_quantizer", sq, "activation", "quantized_tanh(4)");
    LayerTesting.check(rnn).input(new long[] {BATCH, STEPS, FEATURES}, x).weights(k, u, b)
        .expectOutput(expected(x, false, false, s -> RecurrentReference.simpleRnn(s, qk, qu, qb, UNITS,
            scalar("quantized_tanh(4)"), scalar(sq))), 1e-5)
        .run();
  }

  @Test
  void qlstmQuantizesBothStatesAndUsesQKerasHardSigmoidByDefault() {
    String kq = "quantized_bits(4,0,1,alpha=1)";
    String sq = "quantized_bits(6,2,1,alpha=1)";
    float[] k = LayerTesting.random(FEATURES * 4 * UNITS, 71);
    float[] u = LayerTesting.random(UNITS * 4 * UNITS, 72);
    float[] b = LayerTesting.random(4 * UNITS, 73);
    float[] x = input();
    float[] qk = quantized(kq, k);
    float[] qu = quantized(kq, u);
    Layer lstm = layer("QLSTM", "units", UNITS, "kernel_quantizer", kq, "recurrent_quantizer", kq,
        "state_quantizer", sq, "activation", "tanh");
    LayerTesting.check(lstm).input(new long[] {BATCH, STEPS, FEATURES}, x).weights(k, u, b)
        .expectOutput(expected(x, false, false, s -> RecurrentReference.lstm(s, qk, qu, b, UNITS,
            RecurrentReference.TANH, v -> Math.min(1, Math.max(0, 0.5 * v + 0.5)), scalar(sq))), 1e-5)
        .run();
  }

  @Test
  void qgruQuantizesTheRecurrentKernelWithItsOwnQuantizerAndResetsBeforeByDefault() {
    String kq = "quantized_bits(4,0,1,alpha=1)";
    String rq = "quantized_bits(2,0,1,alpha=1)";
    float[] k = LayerTesting.random(FEATURES * 3 * UNITS, 81);
    float[] u = LayerTesting.random(UNITS * 3 * UNITS, 82);
    float[] b = LayerTesting.random(3 * UNITS, 83);
    float[] x = input();
    float[] qk = quantized(kq, k);
    float[] qu = quantized(rq, u);
    Layer gru = layer("QGRU", "units", UNITS, "kernel_quantizer", kq, "recurrent_quantizer", rq,
        "activation", "tanh", "recurrent_activation", "sigmoid");
    assertEquals(false, gru.getConfig().get("reset_after"));
    LayerTesting.check(gru).input(new long[] {BATCH, STEPS, FEATURES}, x).weights(k, u, b)
        .expectOutput(expected(x, false, false, s -> RecurrentReference.gru(s, qk, qu, b, UNITS, false,
            RecurrentReference.TANH, RecurrentReference.SIGMOID)), 1e-5)
        .run();
  }

  @Test
  void defaultsAndConfigKeysAreQKeras() {
    QSimpleRNN rnn = (QSimpleRNN) layer("QSimpleRNN", "units", 4);
    assertEquals("quantized_tanh(8)", rnn.activation().toString());
    Map<String, Object> c = LayerTesting.plainJson(rnn.getConfig());
    for (String key : List.of("kernel_quantizer", "recurrent_quantizer", "bias_quantizer", "state_quantizer")) {
      assertEquals(true, c.containsKey(key), key);
      assertNull(c.get(key), key);
    }
    assertEquals(Map.of("class_name", "quantized_tanh", "config",
        LayerTesting.plainJson(Quantizers.parse("quantized_tanh()").getConfig())), c.get("activation"));
    QLSTM lstm = (QLSTM) layer("QLSTM", "units", 4);
    assertEquals("hard_sigmoid", lstm.recurrentActivation().toString());
    Map<String, Object> lc = lstm.getConfig();
    assertEquals(1, lc.get("implementation"));
    assertEquals(true, lc.get("unit_forget_bias"));
    QGRU gru = (QGRU) layer("QGRU", "units", 4);
    assertEquals(false, gru.getConfig().get("reset_after"));
    assertEquals(1, gru.getConfig().get("implementation"));
  }

  @Test
  void getQuantizersListsKernelRecurrentBiasStateAndWeightQuantizersGetTrainableParameters() {
    QLSTM lstm = (QLSTM) layer("QLSTM", "units", 4, "kernel_quantizer", "quantized_bits(4,0,1)",
        "recurrent_quantizer", "binary", "bias_quantizer", "quantized_bits(8,0,1)", "state_quantizer",
        "quantized_bits(8,0,1)");
    assertEquals(Arrays.asList("quantized_bits(4,0,1,alpha='auto_po2')", "binary(alpha='auto_po2')",
        "quantized_bits(8,0,1)", "quantized_bits(8,0,1)"),
        lstm.getQuantizers().stream().map(String::valueOf).toList());
    // As in QKeras: layer.kernel_quantizer keeps the argument as given.
    assertEquals("quantized_bits(4,0,1)", lstm.givenQuantizer("kernel_quantizer"));
    assertEquals(Map.of("kernel", "quantized_bits(4,0,1,alpha='auto_po2')", "recurrent_kernel",
        "binary(alpha='auto_po2')", "bias", "quantized_bits(8,0,1)"),
        toStrings(lstm.weightQuantizers()));
    Map<String, String> printed = new LinkedHashMap<>();
    printed.put("kernel_quantizer", "quantized_bits(4,0,1,alpha='auto_po2')");
    printed.put("recurrent_quantizer", "binary(alpha='auto_po2')");
    printed.put("bias_quantizer", "quantized_bits(8,0,1)");
    printed.put("state_quantizer", "quantized_bits(8,0,1)");
    printed.put("activation", "quantized_tanh(8)");
    printed.put("recurrent_activation", "hard_sigmoid");
    assertEquals(printed, lstm.getQuantizationConfig());
    // get_auto_range_constraint_initializer: Clip(-1, 1) for weights whose quantizer max is below 1.
    assertEquals(Map.of("class_name", "Clip", "config", Map.of("min_value", -1.0, "max_value", 1.0)),
        lstm.getConfig().get("recurrent_constraint"));
  }

  private static Map<String, String> toStrings(Map<String, Quantizer> m) {
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, v.toString()));
    return out;
  }

  @Test
  void qbidirectionalListsTheForwardThenTheBackwardQuantizers() {
    QBidirectional bi = (QBidirectional) layer("QBidirectional", "layer", Map.of("class_name", "QSimpleRNN",
        "config", Map.of("units", 2, "name", "rnn", "kernel_quantizer", "quantized_bits(4,0,1)",
            "state_quantizer", "quantized_bits(8,0,1)")));
    List<String> quantizers = bi.getQuantizers().stream().map(String::valueOf).toList();
    assertEquals(Arrays.asList("quantized_bits(4,0,1,alpha='auto_po2')", "None", "None", "quantized_bits(8,0,1)",
        "quantized_bits(4,0,1,alpha='auto_po2')", "None", "None", "quantized_bits(8,0,1)"),
        quantizers.stream().map(s -> s.equals("null") ? "None" : s).toList());
    assertEquals(Map.of("forward_rnn/kernel", "quantized_bits(4,0,1,alpha='auto_po2')",
        "backward_rnn/kernel", "quantized_bits(4,0,1,alpha='auto_po2')"), toStrings(bi.weightQuantizers()));
    assertEquals("quantized_bits(4,0,1,alpha='auto_po2')",
        bi.getQuantizationConfig().get("backward_layer").get("kernel_quantizer"));
    // The backward layer is rebuilt from the layer's config, where quantizers are serialized.
    Object given = ((QSimpleRNN) bi.backwardLayer()).givenQuantizer("kernel_quantizer");
    assertEquals("quantized_bits", ((Map<?, ?>) given).get("class_name"));
  }

  @Test
  void qlayersSurviveAKerasJsonRoundTripInAModel() {
    QuantizedLayerTesting.assertModelJsonRoundTrip(layer("QLSTM", "units", 3, "kernel_quantizer",
        "quantized_bits(4,0,1)", "state_quantizer", "quantized_bits(8,2,1)"), STEPS, FEATURES);
    QuantizedLayerTesting.assertModelJsonRoundTrip(layer("QBidirectional", "layer", Map.of("class_name", "QGRU",
        "config", Map.of("units", 2, "recurrent_quantizer", "binary"))), STEPS, FEATURES);
  }
}

package org.qkeras4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qkeras4j.model.Model;
import org.qkeras4j.tools.GoldenModels;
import org.qkeras4j.tools.conformance.GoldenCases;
import org.qkeras4j.util.Json;

/** qstats, qtools, energy and cost run in-process on saved models. */
class AccountingCommandsTest {
  private static CliTesting.Result run(String... args) {
    return CliTesting.run(args);
  }


  /** The float model of golden case qtools-013, saved with its weights. */
  static Path floatModel(Path dir) throws Exception {
    Path p = dir.resolve("float.qk4j");
    try (Model m = GoldenModels.build(GoldenCases.byId("qtools-013").get("model").get("float_model"))) {
      m.save(p);
    }
    return p;
  }

  private static final String[] SRAM = {
    "--source-quantizer", "int8", "--keras-quantizer", "int8", "--keras-accumulator", "int32",
    "--weights-on-memory", "sram", "--activations-on-memory", "sram", "--min-sram-size", "0"};

  private static String[] args(String command, Path model, String[] extra, String... more) {
    String[] a = new String[2 + extra.length + more.length];
    a[0] = command;
    a[1] = model.toString();
    System.arraycopy(extra, 0, a, 2, extra.length);
    System.arraycopy(more, 0, a, 2 + extra.length, more.length);
    return a;
  }

  @Test
  void energyOfAFloatModelEqualsItsReferenceAsInGoldenQtools013(@TempDir Path dir) throws Exception {
    Path model = floatModel(dir);
    Path trialJson = dir.resolve("trial.json");
    Path refJson = dir.resolve("ref.json");
    CliTesting.Result trial = run(args("energy", model, SRAM, "--json", trialJson.toString()));
    assertEquals(0, trial.code(), trial.err());
    CliTesting.Result ref = run(args("energy", model, SRAM, "--reference", "--json", refJson.toString()));
    assertEquals(0, ref.code(), ref.err());
    JsonNode t = Json.MAPPER.readTree(trialJson.toFile());
    JsonNode r = Json.MAPPER.readTree(refJson.toFile());
    assertTrue(t.get("total_pJ").asLong() > 1000);
    assertEquals(r.get("total_pJ"), t.get("total_pJ"));
    assertEquals(5, t.get("layers").size());
    assertTrue(t.get("layers").get("conv_0").has("op_cost"));
    assertTrue(trial.out().startsWith("Layer (type)"), trial.out());
    assertTrue(trial.out().contains("Total energy: " + t.get("total_pJ").asLong() + " pJ"), trial.out());
  }

  @Test
  void qtoolsWritesTheDataTypeMap(@TempDir Path dir) throws Exception {
    Path model = floatModel(dir);
    Path map = dir.resolve("map.json");
    CliTesting.Result r = run("qtools", model.toString(), "--source-quantizer", "quantized_bits(8, 0, 1)", "--json", map.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode m = Json.MAPPER.readTree(map.toFile());
    assertEquals(2, m.get("source_quantizers").size());
    assertEquals("Conv2D", m.get("conv_0").get("layer_type").asText());
    assertEquals("layer_type", m.get("add").fieldNames().next());
    assertTrue(m.get("add").has("Add_quantizer"));
    assertEquals(8 * 8 * 16 * 2 * 2 * 3, m.get("conv_0").get("operation_count").asLong());
  }

  /**
   * With --hw-weight-dict the saved qbn_model_inference model (QKeras's test_qbn_inference) is
   * priced with each QConv2D fused with its QBatchNormalization: the fused accumulators QKeras's
   * test asserts (25 bits / 4 integer bits with the sign, and 20 / 9 with the auto_po2 scales).
   */
  @Test
  void qtoolsWithHwWeightDictFusesEachConvWithItsBatchNorm(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("qbn.qk4j");
    try (Model m = org.qkeras4j.tools.QbnInferenceModel.build()) {
      m.save(model);
    }
    Path map = dir.resolve("map.json");
    CliTesting.Result r = run("qtools", model.toString(), "--source-quantizer", "quantized_bits(4, 0, 1)", "--inference",
        "--hw-weight-dict", "--json", map.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("Fuse qconv2d_1 output with qbn_2 for hardware inference."), r.err());
    JsonNode m = Json.MAPPER.readTree(map.toFile());
    assertEquals(25, m.get("qconv2d_1").get("fused_accumulator").get("bits").asInt());
    assertEquals(4, m.get("qconv2d_1").get("fused_accumulator").get("int_bits").asInt());
    assertEquals(20, m.get("qconv2d_3").get("fused_accumulator").get("bits").asInt());
    assertEquals(9, m.get("qconv2d_3").get("fused_accumulator").get("int_bits").asInt());
    assertEquals(16, m.get("qconv2d_1").get("bn_inverse_quantizer").get("bits").asInt());

    CliTesting.Result plain = run("qtools", model.toString(), "--source-quantizer", "quantized_bits(4, 0, 1)",
        "--inference");
    assertEquals(0, plain.code(), plain.err());
    JsonNode unfused = Json.MAPPER.readTree(plain.out());
    assertTrue(unfused.get("qbn_2").has("internal_divide_quantizer"));
    assertTrue(!unfused.get("qconv2d_1").has("bn_inverse_quantizer"));
  }

  @Test
  void costInBitsCountsParametersAndActivations(@TempDir Path dir) throws Exception {
    Path model = floatModel(dir);
    Path out = dir.resolve("cost.json");
    CliTesting.Result r = run("cost", model.toString(), "--goal", "bits", "--json", out.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode c = Json.MAPPER.readTree(out.toFile());
    // conv_0 and conv_1: (2*2*3*16 + 16) weights at 8 bits each.
    assertEquals(8 * (2 * 2 * 3 * 16 + 16), c.get("layers").get("conv_0").get("param_bits").asLong());
    // relu: 8x8x16 activations at 8 bits.
    assertEquals(8 * 8 * 16 * 8, c.get("layers").get("relu").get("act_bits").asLong());
    assertTrue(r.out().contains("Total bits: " + c.get("total_bits").asLong()), r.out());
  }

  @Test
  void costInEnergyReportsTrialAndReference(@TempDir Path dir) throws Exception {
    Path model = floatModel(dir);
    Path out = dir.resolve("cost.json");
    CliTesting.Result r = run("cost", model.toString(), "--goal", "energy", "--source-quantizer", "int8",
        "--reference-internal", "int8", "--reference-accumulator", "int32", "--weights-on-memory", "sram",
        "--activations-on-memory", "sram", "--json", out.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode c = Json.MAPPER.readTree(out.toFile());
    assertEquals(c.get("reference_pJ"), c.get("total_pJ"));
    assertTrue(r.out().contains("Reference energy: " + c.get("reference_pJ").asLong() + " pJ"), r.out());
  }

  @Test
  void qstatsOfAFloatModelReportsNoQuantizedLayers(@TempDir Path dir) throws Exception {
    CliTesting.Result r = run("qstats", floatModel(dir).toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Number of operations in model:"), r.out());
    assertTrue(r.out().contains("    Total Bits                     :     0"), r.out());
    assertTrue(r.out().contains("    Total Sparsity                 : 0.0000"), r.out());
  }

  @Test
  void badInputsExitWithTwoAndSayWhy(@TempDir Path dir) throws Exception {
    Path model = floatModel(dir);
    CliTesting.Result goal = run("cost", model.toString(), "--goal", "latency");
    assertEquals(2, goal.code());
    assertEquals("error: --goal must be bits or energy, got 'latency'", goal.err().strip());
    CliTesting.Result type = run("qtools", model.toString(), "--keras-quantizer", "int4");
    assertEquals(2, type.code());
    assertTrue(type.err().contains("unaccepted quantizer 'int4'"), type.err());
    CliTesting.Result sources = run("energy", model.toString(), "--source-quantizer", "int8", "--source-quantizer", "int8",
        "--source-quantizer", "int8");
    assertEquals(2, sources.code());
    assertTrue(sources.err().contains("the model has 2 inputs [input_0, input_1] but 3 source quantizers were given"),
        sources.err());
    CliTesting.Result missing = run("qstats", dir.resolve("nope.qk4j").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("nope.qk4j: file not found"), missing.err());
  }

  /** A layer class the accounting tools do not know. */
  static final class Mystery extends org.qkeras4j.layers.Layer {
    Mystery(org.qkeras4j.layers.KerasConfig config) {
      super(config);
    }

    @Override
    public ai.djl.ndarray.types.Shape[] outputShapes(ai.djl.ndarray.types.Shape[] in) {
      return in;
    }

    @Override
    protected ai.djl.ndarray.NDList call(ai.djl.ndarray.NDList inputs, boolean training) {
      return inputs;
    }
  }

  @Test
  void aLayerQToolsCannotModelIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("mystery.json");
    Files.writeString(json, "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
        + "{\"class_name\": \"Mystery\", \"config\": {\"name\": \"m\", \"batch_input_shape\": [null, 8]}}]}}");
    org.qkeras4j.layers.LayerRegistry.register("Mystery", Mystery::new);
    try {
      Path out = dir.resolve("energy.json");
      CliTesting.Result r = run("energy", json.toString(), "--json", out.toString());
      assertEquals(2, r.code(), r.out());
      assertTrue(r.err().strip().endsWith(
          "error: QTools cannot account for layer 'm' (Mystery): layer class 'Mystery' has no data-type model"), r.err());
      assertFalse(Files.exists(out), "no report is written");
    } finally {
      org.qkeras4j.layers.LayerRegistry.unregister("Mystery");
    }
  }

  /** The QKeras-Mod notebook's SimpleRNN model and QTools settings (seed 001). */
  @Test
  void energyOfTheNotebookSimpleRnnModelMatchesItsPrintedProfile(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("rnn.json");
    Files.writeString(model, "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
        + "{\"class_name\": \"SimpleRNN\", \"config\": {\"name\": \"SimpleRNN\", \"units\": 8,"
        + " \"activation\": \"relu\", \"batch_input_shape\": [null, 5, 1]}},"
        + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense\", \"units\": 1, \"activation\": \"relu\"}}]}}");
    Path out = dir.resolve("energy.json");
    CliTesting.Result r = run("energy", model.toString(), "--source-quantizer", "quantized_bits(8, 0, 1)",
        "--keras-quantizer", "fp32", "--keras-accumulator", "fp32", "--reference", "--weights-on-memory", "sram",
        "--activations-on-memory", "sram", "--min-sram-size", String.valueOf(8L * 16 * 1024 * 1024),
        "--json", out.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode layers = Json.MAPPER.readTree(out.toFile()).get("layers");
    JsonNode rnn = layers.get("SimpleRNN");
    assertEquals(List.of(3.8, 3.8, 0.0, 0.0, 3.8), List.of(rounded(rnn, "inputs"), rounded(rnn, "outputs"),
        rounded(rnn, "parameters"), rounded(rnn, "op_cost"), rounded(rnn, "total")));
    JsonNode dense = layers.get("dense");
    assertEquals(List.of(3.8, 3.8, 19.02, 36.8, 59.62), List.of(rounded(dense, "inputs"), rounded(dense, "outputs"),
        rounded(dense, "parameters"), rounded(dense, "op_cost"), rounded(dense, "total")));
  }

  private static double rounded(JsonNode layer, String field) {
    return Math.round(layer.get(field).asDouble() * 100) / 100.0;
  }

  @Test
  void separableConvolutionsArePriced(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("sep.json");
    Files.writeString(json, "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
        + "{\"class_name\": \"SeparableConv2D\", \"config\": {\"name\": \"sep\", \"filters\": 4, \"kernel_size\": 3,"
        + " \"batch_input_shape\": [null, 8, 8, 3]}}]}}");
    Path out = dir.resolve("e.json");
    CliTesting.Result r = run("energy", json.toString(), "--json", out.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode sep = Json.MAPPER.readTree(out.toFile()).get("layers").get("sep");
    assertTrue(sep.get("op_cost").asDouble() > 0, sep.toString());
    assertTrue(sep.get("parameters").asDouble() > 0, sep.toString());
  }

  @Test
  void qstatsPrintsTheNotebookReportForTheQuantizedMnistCnn(@TempDir Path dir) throws Exception {
    JsonNode c = GoldenCases.byId("seed002-001");
    Path p = dir.resolve("qmodel.qk4j");
    try (Model m = GoldenModels.build(c.get("model"))) {
      m.save(p);
    }
    CliTesting.Result r = run("qstats", p.toString(), "-q");
    assertEquals(0, r.code(), r.err());
    java.util.List<String> lines = r.out().lines().toList();
    java.util.List<String> printed = new java.util.ArrayList<>();
    c.get("expected").get("printed_lines").forEach(l -> printed.add(l.asText()));
    assertEquals(printed, lines.subList(1, 1 + printed.size()));
    assertTrue(lines.contains("Weight sparsity:"), r.out());
    assertTrue(lines.get(lines.size() - 1).startsWith("    Total Sparsity                 : 0."), r.out());
  }
}

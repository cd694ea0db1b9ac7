package org.qkeras4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.qkeras4j.cli.CliTesting.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qkeras4j.cli.CliTesting.Result;
import org.qkeras4j.data.Dataset;
import org.qkeras4j.data.HostTensor;
import org.qkeras4j.data.Npy;
import org.qkeras4j.data.SyntheticData;
import org.qkeras4j.layers.Names;
import org.qkeras4j.model.Model;
import org.qkeras4j.train.CategoricalCrossentropy;
import org.qkeras4j.util.Json;

/** {@code train}, {@code evaluate}, {@code predict} in-process on tiny data made here. */
class TrainingCommandsTest {
  @TempDir Path dir;

  @BeforeEach
  void freshNames() {
    Names.reset();
  }

  /** 4 features -> 8 relu -> 3, softmax or linear (logits) output. */
  static String mlpJson(boolean softmax) {
    return """
        {"class_name": "Sequential", "config": {"name": "tiny", "layers": [
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "name": "in"}},
          {"class_name": "Dense", "config": {"name": "hidden", "units": 8, "activation": "relu"}},
          {"class_name": "Dense", "config": {"name": "out", "units": 3, "activation": "%s"}}]}}
        """.formatted(softmax ? "softmax" : "linear");
  }

  Path modelFile(boolean softmax) throws IOException {
    Path p = dir.resolve(softmax ? "tiny.json" : "tiny_logits.json");
    Files.writeString(p, mlpJson(softmax));
    return p;
  }

  static HostTensor[] classes(int n, long seed) {
    Dataset d = SyntheticData.threeClasses(n, seed);
    return new HostTensor[] {d.x(), d.y()};
  }

  static HostTensor oneHot(HostTensor labels, int k) {
    return org.qkeras4j.data.Transforms.oneHot(labels, k);
  }

  /** Writes arrays as np.savez does: a zip of NAME.npy members. */
  static void writeNpz(Path file, Map<String, HostTensor> arrays) throws IOException {
    try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
      for (Map.Entry<String, HostTensor> e : arrays.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
        zip.write(Npy.encode(e.getValue()));
        zip.closeEntry();
      }
    }
  }

  Path tinyNpz(String name, boolean oneHot) throws IOException {
    HostTensor[] train = classes(192, 1);
    HostTensor[] test = classes(64, 2);
    Map<String, HostTensor> arrays = new LinkedHashMap<>();
    arrays.put("x_train", train[0]);
    arrays.put("y_train", oneHot ? oneHot(train[1], 3) : train[1]);
    arrays.put("x_test", test[0]);
    arrays.put("y_test", oneHot ? oneHot(test[1], 3) : test[1]);
    Path p = dir.resolve(name);
    writeNpz(p, arrays);
    return p;
  }

  List<String> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void trainOnTinyNpzWritesTheModelAndMetricsWithKerasKeys() throws IOException {
    Path data = tinyNpz("tiny.npz", false);
    Path out = dir.resolve("trained.qk4j");
    Path metrics = dir.resolve("metrics.json");
    Result r = run("train", modelFile(true).toString(), "--data", data.toString(), "--epochs", "12", "--batch-size",
        "16", "--learning-rate", "0.01", "--validation-split", "0.25", "--seed", "7", "--out", out.toString(),
        "--metrics-json", metrics.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode m = Json.MAPPER.readTree(metrics.toFile());
    List<String> historyKeys = new ArrayList<>();
    m.get("history").fieldNames().forEachRemaining(historyKeys::add);
    assertEquals(List.of("loss", "accuracy", "val_loss", "val_accuracy"), historyKeys);
    assertEquals(12, m.get("history").get("loss").size());
    assertTrue(m.get("history").get("loss").get(11).asDouble() < m.get("history").get("loss").get(0).asDouble());
    assertTrue(m.get("test").get("accuracy").asDouble() > 0.75, m.toString());
    assertTrue(m.get("test").has("loss"));
    assertTrue(m.get("samples_per_second").asDouble() > 0, m.toString());
    assertEquals(144, m.get("train_samples").asInt(), "192 samples less the 25% validation split");
    assertEquals("sparse_categorical_crossentropy", m.get("loss_function").asText());
    assertTrue(r.out().contains("test: loss: "), r.out());
    assertTrue(r.err().contains("Epoch 12/12"), r.err());

    try (Model trained = Model.load(out)) {
      assertTrue(trained.isCompiled(), "the archive keeps the compiled state");
      assertEquals(12 * 9, trained.trainer().optimizer().iterations(), "12 epochs of 9 batches of 16");
    }
  }

  @Test
  void sameSeedGivesTheSameTrainedWeights() throws IOException {
    Path data = tinyNpz("tiny.npz", false);
    Path model = modelFile(true);
    float[][] kernels = new float[2][];
    for (int i = 0; i < 2; i++) {
      Path out = dir.resolve("run" + i + ".qk4j");
      Result r = run("train", model.toString(), "--data", data.toString(), "--epochs", "2", "--seed", "3", "--out",
          out.toString(), "-q");
      assertEquals(0, r.code(), r.err());
      try (Model m = Model.load(out)) {
        kernels[i] = m.getLayer("hidden").weights().get(0).value().toFloatArray();
      }
    }
    assertArrayEquals(kernels[0], kernels[1]);
  }

  private static List<float[]> allWeights(Path file) throws IOException {
    try (Model m = Model.load(file)) {
      return m.weights().stream().map(w -> w.value().toFloatArray()).toList();
    }
  }

  @Test
  void oneEpochSavedThenResumedForOneMoreEqualsTwoEpochsBitForBit() throws IOException {
    Path data = tinyNpz("tiny.npz", false);
    Path model = modelFile(true);
    Path twoEpochs = dir.resolve("two.qk4j");
    assertEquals(0, run("train", model.toString(), "--data", data.toString(), "--epochs", "2", "--batch-size", "16",
        "--seed", "5", "--out", twoEpochs.toString(), "-q").code());
    Path first = dir.resolve("first.qk4j");
    assertEquals(0, run("train", model.toString(), "--data", data.toString(), "--epochs", "1", "--batch-size", "16",
        "--seed", "5", "--out", first.toString(), "-q").code());
    Path resumed = dir.resolve("resumed.qk4j");
    Result r = run("train", first.toString(), "--data", data.toString(), "--epochs", "1", "--batch-size", "16",
        "--initial-epoch", "1", "--seed", "5", "--out", resumed.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("optimizer: resuming the saved Adam at iteration 12, learning rate 0.001"), r.err());
    assertTrue(r.err().contains("Epoch 2/2"), r.err());

    List<float[]> expected = allWeights(twoEpochs);
    List<float[]> actual = allWeights(resumed);
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "weight #" + i);
    }
    try (Model m = Model.load(resumed)) {
      assertEquals(24, m.trainer().optimizer().iterations(), "2 epochs of 12 batches of 16");
    }
  }

  @Test
  void resumingWithoutTheSavedOptimizerStateDiffersFromTheUninterruptedRun() throws IOException {
    Path data = tinyNpz("tiny.npz", false);
    Path model = modelFile(true);
    Path first = dir.resolve("first.qk4j");
    assertEquals(0, run("train", model.toString(), "--data", data.toString(), "--epochs", "1", "--batch-size", "16",
        "--seed", "5", "--out", first.toString(), "-q").code());
    Path sgd = dir.resolve("sgd.qk4j");
    Result r = run("train", first.toString(), "--data", data.toString(), "--epochs", "1", "--batch-size", "16",
        "--optimizer", "sgd", "--seed", "5", "--out", sgd.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("optimizer: a fresh SGD, learning rate 0.01 (--optimizer sgd; the saved Adam"
        + " optimizer's state is not used)"), r.err());
    try (Model m = Model.load(sgd)) {
      assertEquals("SGD", m.trainer().optimizer().className());
      assertEquals(12, m.trainer().optimizer().iterations(), "counted from zero again");
    }
  }

  @Test
  void learningRateOnAResumedRunReplacesTheRateAndKeepsTheIterationCount() throws IOException {
    Path data = tinyNpz("tiny.npz", false);
    Path first = dir.resolve("first.qk4j");
    assertEquals(0, run("train", modelFile(true).toString(), "--data", data.toString(), "--epochs", "1",
        "--batch-size", "16", "--seed", "5", "--out", first.toString(), "-q").code());
    Path next = dir.resolve("next.qk4j");
    Path metrics = dir.resolve("m.json");
    Result r = run("train", first.toString(), "--data", data.toString(), "--epochs", "1", "--batch-size", "16",
        "--learning-rate", "0.0005", "--out", next.toString(), "--metrics-json", metrics.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("optimizer: resuming the saved Adam at iteration 12, learning rate 0.0005"
        + " (from --learning-rate; its slots kept)"), r.err());
    JsonNode m = Json.MAPPER.readTree(metrics.toFile());
    assertEquals("Adam", m.get("optimizer").asText());
    assertEquals(0.0005, m.get("learning_rate").asDouble(), 1e-12);
    try (Model loaded = Model.load(next)) {
      assertEquals(24, loaded.trainer().optimizer().iterations());
      assertEquals(0.0005, loaded.trainer().optimizer().learningRate(), 1e-9);
    }
  }

  @Test
  void unknownOptimizerExitsTwoNamingIt() throws IOException {
    Result r = run("train", modelFile(true).toString(), "--data", tinyNpz("t.npz", false).toString(),
        "--optimizer", "adagrad", "--out", dir.resolve("o.qk4j").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--optimizer adagrad"), r.err());
  }

  @Test
  void oneHotLabelsAndALogitsModelTrainWithCategoricalCrossentropyFromLogits() throws IOException {
    Path data = tinyNpz("onehot.npz", true);
    Path out = dir.resolve("logits.qk4j");
    Path metrics = dir.resolve("m.json");
    Result r = run("train", modelFile(false).toString(), "--data", data.toString(), "--epochs", "2", "--out",
        out.toString(), "--metrics-json", metrics.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("loss: categorical_crossentropy (from logits)"), r.err());
    assertEquals("categorical_crossentropy", Json.MAPPER.readTree(metrics.toFile()).get("loss_function").asText());
    try (Model m = Model.load(out)) {
      assertTrue(((CategoricalCrossentropy) m.trainer().loss()).fromLogits());
    }
  }

  @Test
  void evaluateAndPredictAgreeWithEachOtherOnATrainedModel() throws IOException {
    Path data = tinyNpz("tiny.npz", false);
    Path model = dir.resolve("m.qk4j");
    Path trainMetrics = dir.resolve("train.json");
    assertEquals(0, run("train", modelFile(true).toString(), "--data", data.toString(), "--epochs", "5", "--seed", "1",
        "--out", model.toString(), "--metrics-json", trainMetrics.toString(), "-q").code());

    Path evalMetrics = dir.resolve("eval.json");
    Result e = run("evaluate", model.toString(), "--data", data.toString(), "--metrics-json", evalMetrics.toString());
    assertEquals(0, e.code(), e.err());
    JsonNode eval = Json.MAPPER.readTree(evalMetrics.toFile()).get("test");
    JsonNode trainTest = Json.MAPPER.readTree(trainMetrics.toFile()).get("test");
    assertEquals(trainTest.get("accuracy").asDouble(), eval.get("accuracy").asDouble(), 1e-9);
    assertEquals(trainTest.get("loss").asDouble(), eval.get("loss").asDouble(), 1e-6);
    assertTrue(e.out().startsWith("test: loss: "), e.out());

    HostTensor[] test = classes(64, 2);
    Path x = dir.resolve("x.npy");
    Path y = dir.resolve("y.npy");
    Npy.write(x, test[0]);
    Result p = run("predict", model.toString(), "--input", x.toString(), "--output", y.toString(), "--batch-size", "5");
    assertEquals(0, p.code(), p.err());
    HostTensor probabilities = Npy.read(y).tensor();
    assertArrayEquals(new long[] {64, 3}, probabilities.shape());
    int[] predicted = probabilities.argmax();
    int correct = 0;
    for (int i = 0; i < predicted.length; i++) {
      correct += predicted[i] == (int) test[1].data()[i] ? 1 : 0;
    }
    assertEquals(eval.get("accuracy").asDouble(), correct / 64.0, 1e-9);
  }

  @Test
  void regressionTargetsNeedAnExplicitLossAndThenReportNoAccuracy() throws IOException {
    HostTensor[] d = classes(32, 1);
    float[] targets = new float[32 * 3];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = d[0].data()[i % 128] * 0.5f;
    }
    Path data = dir.resolve("reg.npz");
    writeNpz(data, Map.of("x_train", d[0], "y_train", new HostTensor(targets, 32, 3)));
    Path out = dir.resolve("reg.qk4j");
    Result refused = run("train", modelFile(false).toString(), "--data", data.toString(), "--out", out.toString());
    assertEquals(2, refused.code());
    assertTrue(refused.err().contains("choose a loss for them with --loss"), refused.err());
    assertFalse(Files.exists(out));

    Path metrics = dir.resolve("reg.json");
    Result r = run("train", modelFile(false).toString(), "--data", data.toString(), "--loss", "mse", "--out",
        out.toString(), "--metrics-json", metrics.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode m = Json.MAPPER.readTree(metrics.toFile());
    assertEquals(List.of("loss"), iterable(m.get("history").fieldNames()));
    assertTrue(m.get("test").isNull(), "no test split in this npz");
  }

  @Test
  void binaryLabelsTrainASigmoidOutputWithAnExplicitLossAndReportAccuracy() throws IOException {
    HostTensor[] d = classes(64, 3);
    float[] binary = new float[64];
    for (int i = 0; i < 64; i++) {
      binary[i] = d[1].data()[i] == 0 ? 1 : 0;
    }
    Path data = dir.resolve("binary.npz");
    Map<String, HostTensor> arrays = new LinkedHashMap<>();
    arrays.put("x_train", d[0]);
    arrays.put("y_train", new HostTensor(binary, 64));
    writeNpz(data, arrays);
    Path model = dir.resolve("sigmoid.json");
    Files.writeString(model, mlpJson(true).replace("\"units\": 3, \"activation\": \"softmax\"",
        "\"units\": 1, \"activation\": \"sigmoid\""));
    Path out = dir.resolve("bin.qk4j");
    Result refused = run("train", model.toString(), "--data", data.toString(), "--out", out.toString());
    assertEquals(2, refused.code());
    assertTrue(refused.err().contains("for one sigmoid output give --loss binary_crossentropy"), refused.err());

    Path metrics = dir.resolve("bin.json");
    Result r = run("train", model.toString(), "--data", data.toString(), "--loss", "binary_crossentropy", "--epochs",
        "2", "--out", out.toString(), "--metrics-json", metrics.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode history = Json.MAPPER.readTree(metrics.toFile()).get("history");
    assertEquals(List.of("loss", "accuracy"), iterable(history.fieldNames()));
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  // ---- bad input: exit 2, the culprit named, nothing written -------------------------------------

  private void assertInvalid(Result r, String... fragments) throws IOException {
    assertEquals(2, r.code(), r.err());
    for (String f : fragments) {
      assertTrue(r.err().contains(f), "'" + f + "' in: " + r.err());
    }
    assertTrue(r.out().isEmpty(), r.out());
    assertFalse(files().contains("out.qk4j"), "no model written");
    assertFalse(files().contains("out.json"), "no metrics written");
  }

  private Result train(Path model, Path data) {
    return run("train", model.toString(), "--data", data.toString(), "--out", dir.resolve("out.qk4j").toString(),
        "--metrics-json", dir.resolve("out.json").toString());
  }

  @Test
  void missingModelFileExitsTwoNamingIt() throws IOException {
    Path missing = dir.resolve("nope.json");
    assertInvalid(train(missing, tinyNpz("tiny.npz", false)), missing.toString());
  }

  @Test
  void malformedJsonModelExitsTwoNamingTheFile() throws IOException {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [");
    assertInvalid(train(bad, tinyNpz("tiny.npz", false)), bad.toString());
  }

  @Test
  void unknownLayerClassExitsTwoNamingTheFileAndClass() throws IOException {
    Path bad = dir.resolve("unknown.json");
    Files.writeString(bad, mlpJson(true).replace("\"class_name\": \"Dense\", \"config\": {\"name\": \"hidden\"",
        "\"class_name\": \"Densely\", \"config\": {\"name\": \"hidden\""));
    assertInvalid(train(bad, tinyNpz("tiny.npz", false)), bad.toString(), "Densely");
  }

  @Test
  void npzWithoutTheExpectedArraysExitsTwoListingWhatItHas() throws IOException {
    HostTensor[] d = classes(16, 1);
    Path data = dir.resolve("keys.npz");
    Map<String, HostTensor> arrays = new LinkedHashMap<>();
    arrays.put("x", d[0]);
    arrays.put("y", d[1]);
    writeNpz(data, arrays);
    assertInvalid(train(modelFile(true), data), data.toString(), "x_train", "found [x, y]");
  }

  @Test
  void halfAPairInTheNpzExitsTwoNamingTheMissingArray() throws IOException {
    HostTensor[] d = classes(16, 1);
    Path data = dir.resolve("half.npz");
    writeNpz(data, Map.of("x_train", d[0]));
    assertInvalid(train(modelFile(true), data), data.toString(), "has 'x_train' but no 'y_train'");
  }

  @Test
  void nanInTheTrainingDataExitsTwoNamingFileArrayAndSample() throws IOException {
    HostTensor[] d = classes(16, 1);
    d[0].data()[4 * 5 + 2] = Float.NaN;
    Path data = dir.resolve("nan.npz");
    writeNpz(data, Map.of("x_train", d[0], "y_train", d[1]));
    assertInvalid(train(modelFile(true), data), data.toString(), "x_train holds NaN in sample 5");
  }

  @Test
  void labelOutsideTheModelsClassesExitsTwo() throws IOException {
    HostTensor[] d = classes(16, 1);
    d[1].data()[3] = 7;
    Path data = dir.resolve("labels.npz");
    writeNpz(data, Map.of("x_train", d[0], "y_train", d[1]));
    assertInvalid(train(modelFile(true), data), data.toString(), "label 7 of sample 3 is not one of the model's 3 classes");
  }

  @Test
  void samplesOfTheWrongShapeExitTwoNamingBothShapes() throws IOException {
    Path data = dir.resolve("shape.npz");
    writeNpz(data, Map.of("x_train", new HostTensor(new float[16 * 5], 16, 5), "y_train", new HostTensor(new float[16], 16)));
    assertInvalid(train(modelFile(true), data), data.toString(), "shape [5]", "(None, 4)");
  }

  @Test
  void missingDataFileAndBadArgumentsExitTwo() throws IOException {
    Path model = modelFile(true);
    assertInvalid(train(model, dir.resolve("none.npz")), "none.npz", "no such file or directory");
    Path data = tinyNpz("tiny.npz", false);
    assertInvalid(run("train", model.toString(), "--data", data.toString(), "--epochs", "0", "--out",
        dir.resolve("out.qk4j").toString()), "--epochs must be at least 1");
    assertInvalid(run("train", model.toString(), "--data", data.toString(), "--learning-rate", "-1", "--out",
        dir.resolve("out.qk4j").toString()), "--learning-rate");
    assertInvalid(run("train", model.toString(), "--data", data.toString(), "--loss", "hinge_of_doom", "--out",
        dir.resolve("out.qk4j").toString()), "--loss hinge_of_doom", "Unknown loss function");
  }

  @Test
  void predictRefusesInputOfTheWrongShapeOrWithNaN() throws IOException {
    Path model = modelFile(true);
    Path x = dir.resolve("x.npy");
    Npy.write(x, new HostTensor(new float[10], 2, 5));
    Path y = dir.resolve("y.npy");
    Result r = run("predict", model.toString(), "--input", x.toString(), "--output", y.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--input " + x) && r.err().contains("(None, 4)"), r.err());
    Npy.write(x, new HostTensor(new float[] {1, 2, Float.POSITIVE_INFINITY, 4}, 1, 4));
    r = run("predict", model.toString(), "--input", x.toString(), "--output", y.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("holds Infinity in sample 0"), r.err());
    assertFalse(Files.exists(y));
  }

  @Test
  void summaryOfTheTutorialCnnExamplePrintsTheSeedsParameterCount() {
    Result r = run("summary", Path.of("examples/models/tutorial_cnn_float.json").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("conv2d_2 (Conv2D)            (None, 24, 24, 32)        5216"), r.out());
    assertTrue(r.out().contains("Total params: 189,726"), r.out());
  }
}

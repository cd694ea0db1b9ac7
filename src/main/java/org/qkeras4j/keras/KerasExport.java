package org.qkeras4j.keras;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipOutputStream;
import org.qkeras4j.util.AtomicFiles;
import org.qkeras4j.util.Json;
import org.qkeras4j.util.ZipEntries;

/**
 * Writes an architecture and its weights as Keras files QKeras and hls4ml users can load:
 * architecture JSON + weights HDF5 (Keras 2 / tf.keras layout), a Keras 2 full-model HDF5, or a
 * Keras 3 {@code .keras} archive. Every target is written atomically and all together: on failure
 * no target is created or changed.
 */
public final class KerasExport {
  /**
   * The version stamped into Keras 2 files: tf.keras 2.4 is the first release whose {@code
   * to_json()} calls functional models {@code Functional}, as our JSON does.
   */
  public static final String KERAS2_VERSION = "2.4.0";
  /** The Keras 3 release whose {@code .keras} layout the archive writer reproduces. */
  public static final String KERAS3_VERSION = "3.14.1";
  public static final String BACKEND = "tensorflow";

  private KerasExport() {}

  /**
   * Writes {@code model.to_json()} to {@code json} and {@code save_weights} to {@code weights}.
   *
   * @param weights per layer, in model order; layers without weights may be left out
   */
  public static void writeJsonAndWeights(KerasModelConfig config, List<LayerWeights> weights, Path json, Path weightsFile)
      throws IOException {
    KerasModelConfig stamped = config.withVersion(KERAS2_VERSION, BACKEND);
    List<LayerWeights> ordered = inModelOrder(config, weights);
    byte[] jsonBytes = Json.MAPPER.writeValueAsBytes(stamped.toJson());
    try (AtomicFiles.Batch batch = new AtomicFiles.Batch()) {
      batch.stagePath(weightsFile, tmp -> {
        KerasHdf5Writer.writeKeras2Weights(tmp, ordered, KERAS2_VERSION, BACKEND);
        verify(tmp, weightsFile, ordered, KerasHdf5.read(tmp).weights());
      });
      batch.stage(json, out -> out.write(jsonBytes));
      batch.commit();
    }
  }

  /** Writes Keras's {@code model.save_weights("x.h5")} file alone (no architecture). */
  public static void writeWeights(KerasModelConfig config, List<LayerWeights> weights, Path weightsFile)
      throws IOException {
    List<LayerWeights> ordered = inModelOrder(config, weights);
    try (AtomicFiles.Batch batch = new AtomicFiles.Batch()) {
      batch.stagePath(weightsFile, tmp -> {
        KerasHdf5Writer.writeKeras2Weights(tmp, ordered, KERAS2_VERSION, BACKEND);
        verify(tmp, weightsFile, ordered, KerasHdf5.read(tmp).weights());
      });
      batch.commit();
    }
  }

  /** Writes a Keras 2 {@code model.save("x.h5")} file: {@code model_config} plus {@code /model_weights}. */
  public static void writeFullModelHdf5(KerasModelConfig config, List<LayerWeights> weights, Path file)
      throws IOException {
    KerasModelConfig stamped = config.withVersion(KERAS2_VERSION, BACKEND);
    List<LayerWeights> ordered = inModelOrder(config, weights);
    String json = Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(stamped.toJson());
    try (AtomicFiles.Batch batch = new AtomicFiles.Batch()) {
      batch.stagePath(file, tmp -> {
        KerasHdf5Writer.writeKeras2FullModel(tmp, json, ordered, KERAS2_VERSION, BACKEND);
        verify(tmp, file, ordered, KerasHdf5.read(tmp).weights());
      });
      batch.commit();
    }
  }

  /** Writes a Keras 3 {@code .keras} archive (members stored uncompressed, as Keras does). */
  public static void writeArchive(KerasModelConfig config, List<LayerWeights> weights, Path archive) throws IOException {
    Map<String, LayerWeights> byLayer = new LinkedHashMap<>();
    for (LayerWeights lw : inModelOrder(config, weights)) {
      byLayer.put(lw.layerName(), lw);
    }
    ObjectNode meta = Json.MAPPER.createObjectNode();
    meta.put("keras_version", KERAS3_VERSION);
    meta.put("date_saved", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")));
    byte[] metaBytes = Json.MAPPER.writeValueAsBytes(meta);
    byte[] configBytes = Json.MAPPER.writeValueAsBytes(Keras3Configs.toKeras3(config));
    Path h5 = Files.createTempFile("qkeras4j-", ".weights.h5");
    try {
      KerasHdf5Writer.writeKeras3Weights(h5, config, byLayer);
      verify(h5, archive, List.copyOf(byLayer.values()), KerasHdf5.read(h5).weights());
      byte[] h5Bytes = Files.readAllBytes(h5);
      try (AtomicFiles.Batch batch = new AtomicFiles.Batch()) {
        batch.stage(archive, out -> {
          try (ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntries.putStored(zip, KerasArchive.METADATA, metaBytes);
            ZipEntries.putStored(zip, KerasArchive.CONFIG, configBytes);
            ZipEntries.putStored(zip, KerasArchive.WEIGHTS, h5Bytes);
          }
        });
        batch.commit();
      }
    } finally {
      Files.deleteIfExists(h5);
    }
  }

  /**
   * Reads a written weights file back and checks every array bit for bit, so that a writer bug
   * can never hand the user a file that loads differently (or not at all).
   */
  private static void verify(Path written, Path target, List<LayerWeights> expected, KerasWeights actual) {
    for (LayerWeights lw : expected) {
      LayerWeights back = actual.layer(lw.layerName());
      int n = back == null ? 0 : back.weights().size();
      if (n != lw.weights().size()) {
        throw new KerasFormatException(target.toString(), "written weights do not read back: layer '"
            + lw.layerName() + "' has " + n + " arrays instead of " + lw.weights().size());
      }
      for (int i = 0; i < n; i++) {
        if (!lw.weights().get(i).sameBits(back.weights().get(i))) {
          throw new KerasFormatException(target.toString(), "written weights do not read back: layer '"
              + lw.layerName() + "' weight " + lw.weights().get(i).name() + " differs (file " + written + ")");
        }
      }
    }
  }

  /**
   * One entry per layer of the config (weightless ones empty), in config order, as Keras writes
   * {@code layer_names} (tf.keras lists a functional model's InputLayers but not a Sequential
   * model's). Fails if a weight belongs to no layer of the config.
   */
  static List<LayerWeights> inModelOrder(KerasModelConfig config, List<LayerWeights> weights) {
    Map<String, LayerWeights> byName = new LinkedHashMap<>();
    for (LayerWeights lw : weights) {
      if (config.layer(lw.layerName()) == null) {
        throw new IllegalArgumentException("weights for '" + lw.layerName() + "', which is not a layer of model '"
            + config.name() + "'");
      }
      byName.put(lw.layerName(), lw);
    }
    List<LayerWeights> out = new ArrayList<>();
    for (KerasLayerConfig l : config.layers()) {
      if (l.isInputLayer() && config.isSequential()) {
        continue;
      }
      out.add(byName.getOrDefault(l.name(), new LayerWeights(l.name(), "", List.of())));
    }
    return out;
  }
}

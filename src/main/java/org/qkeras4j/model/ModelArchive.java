package org.qkeras4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.qkeras4j.data.HostTensor;
import org.qkeras4j.data.Npy;
import org.qkeras4j.layers.Layer;
import org.qkeras4j.layers.LayerConfigException;
import org.qkeras4j.layers.Weight;
import org.qkeras4j.util.AtomicFiles;
import org.qkeras4j.util.Json;

/**
 * The qkeras4j model file: one zip archive, written atomically, holding
 * <ul>
 *   <li>{@code metadata.json}: {@code {"format": "qkeras4j-model", "version": 1, "weights":
 *       [{"layer", "weight", "shape", "file"}, ...]}};
 *   <li>{@code config.json}: the Keras config of the architecture;
 *   <li>{@code weights/NNNN.npy}: each weight as a float32 NumPy array in Keras layout, in
 *       layer order and Keras weight order;
 *   <li>{@code extra/...}: entries other parts add (optimizer state, training history), returned
 *       as they were written.
 * </ul>
 * Reading checks the version first and fails clearly for archives it does not know.
 */
public final class ModelArchive {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelArchive.class);
  /** The format version written. */
  public static final int VERSION = 1;
  private static final String FORMAT = "qkeras4j-model";
  private static final String EXTRA = "extra/";

  private final Model model;
  private final Map<String, byte[]> extras;

  private ModelArchive(Model model, Map<String, byte[]> extras) {
    this.model = model;
    this.extras = extras;
  }

  /** The model read from the archive. */
  public Model model() {
    return model;
  }

  /** Extra entries by name (without the {@code extra/} prefix). */
  public Map<String, byte[]> extras() {
    return Collections.unmodifiableMap(extras);
  }

  /**
   * Writes {@code model} to {@code path} with optional extra entries (names without
   * {@code extra/}), replacing any existing file only once everything is written.
   */
  public static void write(Model model, Path path, Map<String, byte[]> extras) throws IOException {
    List<Map<String, Object>> manifest = new ArrayList<>();
    Map<String, byte[]> weightFiles = new LinkedHashMap<>();
    for (Layer layer : model.allLayers()) {
      for (Weight w : layer.weights()) {
        String file = String.format("weights/%04d.npy", weightFiles.size());
        NDArray v = w.value();
        long[] shape = v.getShape().getShape();
        weightFiles.put(file, Npy.encode(new HostTensor(v.toType(DataType.FLOAT32, false).toFloatArray(), shape)));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("layer", layer.name());
        entry.put("weight", w.name());
        entry.put("shape", shape);
        entry.put("file", file);
        manifest.add(entry);
      }
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("format", FORMAT);
    metadata.put("version", VERSION);
    metadata.put("weights", manifest);
    byte[] metadataBytes = Json.MAPPER.writeValueAsBytes(metadata);
    byte[] configBytes = model.toJson().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(path, out -> {
      ZipOutputStream zip = new ZipOutputStream(out);
      put(zip, "metadata.json", metadataBytes);
      put(zip, "config.json", configBytes);
      for (Map.Entry<String, byte[]> e : weightFiles.entrySet()) {
        put(zip, e.getKey(), e.getValue());
      }
      for (Map.Entry<String, byte[]> e : extras.entrySet()) {
        put(zip, EXTRA + e.getKey(), e.getValue());
      }
      zip.finish();
    });
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }

  /** Reads an archive written by {@link #write}. */
  public static ModelArchive read(Path path) throws IOException {
    Map<String, byte[]> entries = new HashMap<>();
    try (InputStream in = Files.newInputStream(path); ZipInputStream zip = new ZipInputStream(in)) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        entries.put(e.getName(), zip.readAllBytes());
      }
    } catch (NoSuchFileException e) {
      throw new IOException("model file " + path + " does not exist", e);
    } catch (ZipException e) {
      throw new IOException("model file " + path + " is not a qkeras4j model archive (" + e.getMessage() + ")", e);
    }
    byte[] metadataBytes = entries.get("metadata.json");
    if (metadataBytes == null) {
      throw new IOException("model file " + path + " is not a qkeras4j model archive (no metadata.json)");
    }
    Map<String, Object> metadata =
        Json.MAPPER.readValue(metadataBytes, new TypeReference<Map<String, Object>>() {});
    if (!FORMAT.equals(metadata.get("format"))) {
      throw new IOException("model file " + path + " has format " + metadata.get("format") + ", expected " + FORMAT);
    }
    Object version = metadata.get("version");
    if (!(version instanceof Integer v) || v != 1) {
      throw new IOException("model file " + path + " has format version " + version + "; this qkeras4j reads version "
          + VERSION);
    }
    byte[] config = entries.get("config.json");
    if (config == null) {
      throw new IOException("model file " + path + " has no config.json");
    }
    Model model;
    try {
      model = Model.fromJson(new String(config, StandardCharsets.UTF_8));
    } catch (LayerConfigException e) {
      throw new IOException("model file " + path + ": " + e.getMessage(), e);
    }
    try {
      loadWeights(model, metadata, entries, path);
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
    Map<String, byte[]> extras = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      if (e.getKey().startsWith(EXTRA)) {
        extras.put(e.getKey().substring(EXTRA.length()), e.getValue());
      }
    }
    return new ModelArchive(model, extras);
  }

  private static void loadWeights(Model model, Map<String, Object> metadata, Map<String, byte[]> entries, Path path)
      throws IOException {
    if (!(metadata.get("weights") instanceof List<?> manifest)) {
      throw new IOException("model file " + path + ": metadata.json has no 'weights' list");
    }
    Map<String, Map<String, String>> files = new HashMap<>();
    for (Object o : manifest) {
      if (!(o instanceof Map<?, ?> m) || !(m.get("layer") instanceof String layer)
          || !(m.get("weight") instanceof String weight) || !(m.get("file") instanceof String file)) {
        throw new IOException("model file " + path + ": bad weight entry " + o + " in metadata.json");
      }
      files.computeIfAbsent(layer, k -> new HashMap<>()).put(weight, file);
    }
    try (NDManager tmp = model.manager().newSubManager()) {
      for (Layer layer : model.allLayers()) {
        List<Weight> weights = layer.weights();
        if (weights.isEmpty()) {
          continue;
        }
        Map<String, String> byName = files.getOrDefault(layer.name(), Map.of());
        if (byName.isEmpty() && layer.loadsWithoutWeights()) {
          LOG.warn("model file {} has no weights for {}; it keeps their initial values {}", path, layer.describe(),
              weights.stream().map(Weight::name).toList());
          continue;
        }
        List<NDArray> values = new ArrayList<>();
        for (Weight w : weights) {
          String file = byName.get(w.name());
          byte[] bytes = file == null ? null : entries.get(file);
          if (bytes == null) {
            throw new IOException("model file " + path + " has no value for weight '" + w.name() + "' of layer '"
                + layer.name() + "'");
          }
          HostTensor a = Npy.read(new ByteArrayInputStream(bytes), path + "!" + file).tensor();
          values.add(tmp.create(a.data(), new Shape(a.shape())));
        }
        try {
          layer.setWeights(values);
        } catch (IllegalArgumentException e) {
          throw new IOException("model file " + path + ": " + e.getMessage(), e);
        }
      }
    }
  }
}

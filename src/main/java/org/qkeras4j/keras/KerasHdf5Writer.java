package org.qkeras4j.keras;

import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes weights in the HDF5 layouts Keras reads, with jHDF's writer.
 *
 * <p>One difference from files Keras writes: jHDF cannot write empty arrays, so a weightless
 * layer's group has no {@code weight_names} attribute instead of an empty one. Keras's loader reads
 * a missing {@code weight_names} as an empty list, so the files load the same.
 */
public final class KerasHdf5Writer {
  private KerasHdf5Writer() {}

  /**
   * Keras 2 {@code save_weights} layout: root attributes {@code layer_names}, {@code
   * keras_version}, {@code backend}; one group per layer with {@code weight_names} ({@code
   * <layer>/<weight>:0}) and the datasets at {@code /<layer>/<layer>/<weight>:0}.
   */
  public static void writeKeras2Weights(Path file, List<LayerWeights> layers, String kerasVersion, String backend) {
    write(file, f -> writeKeras2Group(file, f, layers, kerasVersion, backend));
  }

  /**
   * Keras 2 {@code model.save("x.h5")} layout: root attributes {@code model_config} (the
   * architecture JSON), {@code keras_version}, {@code backend}, and the weights under {@code
   * /model_weights} in the {@link #writeKeras2Weights} layout.
   */
  public static void writeKeras2FullModel(Path file, String modelConfigJson, List<LayerWeights> layers,
      String kerasVersion, String backend) {
    write(file, f -> {
      f.putAttribute("model_config", modelConfigJson);
      f.putAttribute("keras_version", kerasVersion);
      f.putAttribute("backend", backend);
      writeKeras2Group(file, f.putGroup("model_weights"), layers, kerasVersion, backend);
    });
  }

  private static void writeKeras2Group(Path file, WritableGroup top, List<LayerWeights> layers, String kerasVersion,
      String backend) {
    List<String> names = new ArrayList<>();
    for (LayerWeights lw : layers) {
      names.add(lw.layerName());
    }
    top.putAttribute("layer_names", names.toArray(new String[0]));
    top.putAttribute("backend", backend);
    top.putAttribute("keras_version", kerasVersion);
    Set<String> seen = new HashSet<>();
    for (LayerWeights lw : layers) {
      String layer = lw.layerName();
      if (!seen.add(layer) || layer.isEmpty() || layer.contains("/")) {
        throw new KerasFormatException(file.toString(), "cannot write layer name '" + layer + "' (empty, with '/', or twice)");
      }
      WritableGroup g = top.putGroup(layer);
      if (lw.isEmpty()) {
        continue;
      }
      List<String> weightNames = new ArrayList<>();
      Map<String, WritableGroup> groups = new HashMap<>();
      groups.put("", g.putGroup(layer));
      Set<String> used = new HashSet<>();
      for (KerasWeight w : lw.weights()) {
        String n = w.name();
        String[] path = n.split("/", -1);
        if (n.chars().allMatch(Character::isDigit) || Arrays.asList(path).contains("") || !used.add(n)) {
          throw new KerasFormatException(file.toString(), "layer '" + layer + "': weight name '" + n
              + "' cannot be written in the Keras 2 layout (Keras 2 needs distinct names like 'kernel')");
        }
        // A wrapper's weights ('forward_lstm/kernel') go in subgroups, as Keras 2 writes them.
        String dataset = path[path.length - 1] + ":0";
        weightNames.add(layer + "/" + n + ":0");
        groupOf(groups, path).putDataset(dataset, nested(w));
      }
      g.putAttribute("weight_names", weightNames.toArray(new String[0]));
    }
  }

  /** The group holding the last element of {@code path}, made on first use. */
  private static WritableGroup groupOf(Map<String, WritableGroup> groups, String[] path) {
    String key = "";
    WritableGroup g = groups.get(key);
    for (int i = 0; i < path.length - 1; i++) {
      WritableGroup parent = g;
      String part = path[i];
      key = key + "/" + part;
      g = groups.computeIfAbsent(key, k -> parent.putGroup(part));
    }
    return g;
  }

  /**
   * Keras 3 {@code model.weights.h5} layout: {@code /layers/<snake_case class, made unique>/vars/<i>}
   * with the layer name as the {@code vars} group's {@code name} attribute, and an empty root
   * {@code /vars} named after the model. Sequential models leave their InputLayer out, as Keras 3
   * does; functional models keep it.
   */
  public static void writeKeras3Weights(Path file, KerasModelConfig config, Map<String, LayerWeights> byLayer) {
    write(file, f -> {
      f.putGroup("vars").putAttribute("name", config.name());
      WritableGroup layersGroup = f.putGroup("layers");
      for (Map.Entry<String, String> e : keras3Groups(config).entrySet()) {
        WritableGroup vars = layersGroup.putGroup(e.getValue()).putGroup("vars");
        vars.putAttribute("name", e.getKey());
        LayerWeights lw = byLayer.get(e.getKey());
        if (lw != null) {
          for (int i = 0; i < lw.weights().size(); i++) {
            vars.putDataset(Integer.toString(i), nested(lw.weights().get(i)));
          }
        }
      }
    });
  }

  /**
   * The group Keras 3 saves each layer under, by layer name, in layer order: the snake_case class
   * name, with {@code _1}, {@code _2}, ... for later layers of the same class.
   */
  public static Map<String, String> keras3Groups(KerasModelConfig config) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    Map<String, Integer> used = new HashMap<>();
    for (KerasLayerConfig l : config.layers()) {
      if (config.isSequential() && l.isInputLayer()) {
        continue;
      }
      String base = KerasConfigs.snakeCase(l.className());
      int n = used.merge(base, 1, Integer::sum);
      out.put(l.name(), n == 1 ? base : base + "_" + (n - 1));
    }
    return out;
  }

  /** jHDF takes the shape from a nested Java array; scalars from a boxed value. */
  static Object nested(KerasWeight w) {
    long[] shape = w.shape();
    Object flat = w.rawData();
    if (shape.length == 0) {
      return flat instanceof float[] f ? (Object) f[0] : (Object) ((double[]) flat)[0];
    }
    for (long d : shape) {
      if (d == 0) {
        throw new IllegalArgumentException("weight '" + w.name() + "' is empty (shape has a 0): cannot be written");
      }
    }
    if (shape.length == 1) {
      return flat;
    }
    int[] dims = new int[shape.length];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = Math.toIntExact(shape[i]);
    }
    Object out = Array.newInstance(flat.getClass().getComponentType(), dims);
    fill(out, flat, dims, 0, new int[] {0});
    return out;
  }

  private static void fill(Object target, Object flat, int[] dims, int axis, int[] pos) {
    if (axis == dims.length - 1) {
      System.arraycopy(flat, pos[0], target, 0, dims[axis]);
      pos[0] += dims[axis];
      return;
    }
    for (int i = 0; i < dims[axis]; i++) {
      fill(Array.get(target, i), flat, dims, axis + 1, pos);
    }
  }

  /** What fills an open jHDF file. */
  @FunctionalInterface
  private interface Content {
    void fill(WritableHdfFile f);
  }

  private static void write(Path file, Content content) {
    try {
      JhdfWriting.write(file, content::fill);
    } catch (KerasFormatException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new KerasFormatException(file.toString(), "cannot write HDF5: " + e, e);
    }
  }
}

package org.qkeras4j.layers.recurrent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.qkeras4j.engine.Scalars;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.Layer;
import org.qkeras4j.layers.LayerConfigException;
import org.qkeras4j.layers.LayerRegistry;

/**
 * Keras's {@code Bidirectional} wrapper around a recurrent layer ({@code layer}): a forward copy
 * ({@code forward_<name>}) reads the sequence as given, a backward copy ({@code backward_<name>},
 * the same config with {@code go_backwards} flipped, or {@code backward_layer} when given) reads
 * it from the end, and {@code merge_mode} combines their outputs: {@code concat} (default, last
 * axis), {@code sum}, {@code mul}, {@code ave}, or None (both outputs). With
 * {@code return_sequences} the backward sequence is put back in time order first; with
 * {@code return_state} the forward states then the backward states follow the output.
 *
 * <p>Weights: the forward layer's, then the backward layer's, named
 * {@code forward_<name>/kernel}, ... (Keras names them {@code forward_<name>/<cell>/kernel}), so
 * Bidirectional(SimpleRNN(8)) on 1 feature has 2 x 80 parameters. {@link #layer()} is the layer
 * as configured (never built; its config is written back), as Keras keeps it.
 */
public class Bidirectional extends Layer {
  private static final String[] MERGE_MODES = {"concat", "sum", "mul", "ave"};

  private final RecurrentLayer layer;
  private final RecurrentLayer forwardLayer;
  private final RecurrentLayer backwardLayer;
  private final Map<String, Object> backwardLayerConfig;
  private final String mergeMode;

  public Bidirectional(KerasConfig config) {
    super(config);
    Map<String, Object> layerConfig = nested(config, "layer");
    if (layerConfig == null) {
      throw config.error("layer", "is required (the recurrent layer to wrap)");
    }
    this.layer = recurrent(config, "layer", layerConfig);
    Object mode = config.raw("merge_mode");
    if (config.has("merge_mode") && mode == null) {
      this.mergeMode = null;
    } else {
      this.mergeMode = config.getChoice("merge_mode", "concat", MERGE_MODES);
    }
    this.backwardLayerConfig = nested(config, "backward_layer");
    Map<String, Object> forward = renamed(LayerRegistry.serialize(layer), "forward_" + layer.name(), null);
    this.forwardLayer = recurrent(config, "layer", forward);
    Map<String, Object> backward = backwardLayerConfig != null
        ? renamed(backwardLayerConfig, null, null)
        : renamed(LayerRegistry.serialize(layer), "backward_" + layer.name(), !layer.goBackwards());
    this.backwardLayer = recurrent(config, "backward_layer", backward);
    if (backwardLayer.goBackwards() == forwardLayer.goBackwards()) {
      throw config.error("backward_layer", "must have go_backwards opposite to the forward layer's");
    }
    if (backwardLayer.returnSequences() != forwardLayer.returnSequences()
        || backwardLayer.returnState() != forwardLayer.returnState()) {
      throw config.error("backward_layer", "must have the forward layer's return_sequences and return_state");
    }
    forwardLayer.prefixWeightNames(forwardLayer.name() + "/");
    backwardLayer.prefixWeightNames(backwardLayer.name() + "/");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> nested(KerasConfig config, String key) {
    Object v = config.raw(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Map<?, ?> m) || !(m.get("class_name") instanceof String)) {
      throw config.error(key, "must be a layer config {\"class_name\": ..., \"config\": {...}}");
    }
    return (Map<String, Object>) m;
  }

  /** A copy of a serialized layer with a new name and go_backwards (null keeps them). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> renamed(Map<String, Object> serialized, String name, Boolean goBackwards) {
    Map<String, Object> out = new LinkedHashMap<>(serialized);
    Object inner = serialized.get("config");
    Map<String, Object> cfg = inner instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m)
        : new LinkedHashMap<>();
    if (name != null) {
      cfg.put("name", name);
    }
    if (goBackwards != null) {
      cfg.put("go_backwards", goBackwards);
    }
    out.put("config", cfg);
    return out;
  }

  private static RecurrentLayer recurrent(KerasConfig config, String key, Map<String, Object> serialized) {
    Layer l;
    try {
      l = LayerRegistry.deserialize(serialized);
    } catch (LayerConfigException e) {
      throw config.error(key, "is not a valid layer config (" + e.getMessage() + ")");
    }
    if (!(l instanceof RecurrentLayer r)) {
      throw config.error(key, "must be a recurrent layer (SimpleRNN, LSTM, GRU or their Q-versions), got "
          + l.className());
    }
    return r;
  }

  @Override
  public Shape[] outputShapes(Shape[] inputShapes) {
    Shape[] f = forwardLayer.outputShapes(inputShapes);
    Shape[] b = backwardLayer.outputShapes(inputShapes);
    int merged = mergeMode == null ? 2 : 1;
    Shape[] out = new Shape[merged + f.length - 1 + b.length - 1];
    if (mergeMode == null) {
      out[0] = f[0];
      out[1] = b[0];
    } else if (mergeMode.equals("concat")) {
      long[] dims = f[0].getShape().clone();
      dims[dims.length - 1] = f[0].getLastDimension() + b[0].getLastDimension();
      out[0] = new Shape(dims);
    } else {
      out[0] = f[0];
    }
    int i = merged;
    for (int s = 1; s < f.length; s++) {
      out[i++] = f[s];
    }
    for (int s = 1; s < b.length; s++) {
      out[i++] = b[s];
    }
    return out;
  }

  @Override
  protected void buildWeights(Shape[] inputShapes) {
    buildWrapped(forwardLayer, inputShapes);
    buildWrapped(backwardLayer, inputShapes);
  }

  @Override
  protected NDList call(NDList inputs, boolean training) {
    NDList f = forwardLayer.forward(inputs, training);
    NDList b = backwardLayer.forward(inputs, training);
    NDArray y = f.get(0);
    NDArray yRev = b.get(0);
    if (forwardLayer.returnSequences()) {
      yRev = yRev.flip(1);
    }
    NDList out = new NDList();
    if (mergeMode == null) {
      out.add(y);
      out.add(yRev);
    } else {
      out.add(switch (mergeMode) {
        case "concat" -> y.concat(yRev, -1);
        case "sum" -> y.add(yRev);
        case "mul" -> y.mul(yRev);
        case "ave" -> Scalars.div(y.add(yRev), 2);
        default -> throw new IllegalStateException("merge_mode " + mergeMode);
      });
    }
    out.addAll(f.subNDList(1));
    out.addAll(b.subNDList(1));
    return out;
  }

  /** The wrapped layer as configured (Keras's {@code layer}; never built). */
  public RecurrentLayer layer() {
    return layer;
  }

  /** The copy that reads the sequence in the wrapped layer's direction. */
  public RecurrentLayer forwardLayer() {
    return forwardLayer;
  }

  /** The copy that reads it the other way. */
  public RecurrentLayer backwardLayer() {
    return backwardLayer;
  }

  /** {@code concat}, {@code sum}, {@code mul}, {@code ave}, or null for both outputs unmerged. */
  public String mergeMode() {
    return mergeMode;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("layer", LayerRegistry.serialize(layer));
    c.put("merge_mode", mergeMode);
    if (backwardLayerConfig != null) {
      c.put("backward_layer", LayerRegistry.serialize(backwardLayer));
    }
    return c;
  }

  @Override
  public String toString() {
    return className() + "(" + name() + ", " + layer + ")";
  }
}

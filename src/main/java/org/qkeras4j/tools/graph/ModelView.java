package org.qkeras4j.tools.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.qkeras4j.layers.Layer;
import org.qkeras4j.layers.Node;
import org.qkeras4j.layers.SymbolicTensor;
import org.qkeras4j.layers.Weight;
import org.qkeras4j.layers.core.InputLayer;
import org.qkeras4j.layers.normalization.FoldedBatchNormLayer;
import org.qkeras4j.layers.quantized.QuantizedLayer;
import org.qkeras4j.model.Model;
import org.qkeras4j.quant.Quantizer;
import org.qkeras4j.quant.QuantizerRegistry;
import org.qkeras4j.quant.QuantizerSpecParser;
import org.qkeras4j.quant.Quantizers;

/**
 * The accounting tools' view of a {@link Model}: the model's own layers, read on demand (config,
 * shapes of the node that belongs to this model, weight values, quantizers). Nothing is copied;
 * a tool run sees the model as it is at that moment.
 */
public final class ModelView implements NetworkView {
  private final Model model;
  private final List<Input> inputs = new ArrayList<>();
  private final List<LayerView> layers = new ArrayList<>();
  private final List<String> outputs = new ArrayList<>();

  private ModelView(Model model) {
    this.model = model;
    Map<Layer, Node> nodes = nodesOf(model);
    for (SymbolicTensor t : model.inputs()) {
      inputs.add(new Input(t.layer().name(), dims(t.shape())));
    }
    for (Layer l : model.layers()) {
      if (l instanceof InputLayer) {
        continue;
      }
      Node node = nodes.get(l);
      if (node == null) {
        throw new IllegalStateException("model '" + model.name() + "' lists " + l.describe() + " but no call of it");
      }
      layers.add(new View(l, node));
    }
    for (SymbolicTensor t : model.outputs()) {
      outputs.add(t.layer().name());
    }
  }

  /** A view of {@code model}. */
  public static ModelView of(Model model) {
    return new ModelView(model);
  }

  /** The model viewed. */
  public Model model() {
    return model;
  }

  @Override
  public List<Input> inputs() {
    return inputs;
  }

  @Override
  public List<LayerView> layers() {
    return layers;
  }

  @Override
  public List<String> outputs() {
    return outputs;
  }

  @Override
  public boolean listsInputLayers() {
    return !model.isSequential();
  }

  /** The call of each layer inside this model (found walking back from the outputs). */
  private static Map<Layer, Node> nodesOf(Model model) {
    Map<Layer, Node> out = new IdentityHashMap<>();
    Deque<Node> todo = new ArrayDeque<>();
    Map<Node, Boolean> seen = new IdentityHashMap<>();
    for (SymbolicTensor t : model.outputs()) {
      todo.add(t.node());
    }
    while (!todo.isEmpty()) {
      Node n = todo.pop();
      if (seen.put(n, true) != null) {
        continue;
      }
      Node previous = out.put(n.layer(), n);
      if (previous != null && previous != n) {
        throw new IllegalArgumentException(n.layer().describe() + " is called more than once in model '"
            + model.name() + "'; the accounting tools price each layer once and cannot tell its calls apart");
      }
      for (SymbolicTensor in : n.inputs()) {
        todo.add(in.node());
      }
    }
    return out;
  }

  private static long[] dims(Shape s) {
    return s.getShape().clone();
  }

  /** One layer of the model, through the node that belongs to the model. */
  private static final class View implements LayerView {
    private final Layer layer;
    private final Node node;
    private final Map<String, Optional<Quantizer>> quantizers = new HashMap<>();

    View(Layer layer, Node node) {
      this.layer = layer;
      this.node = node;
    }

    @Override
    public String name() {
      return layer.name();
    }

    @Override
    public String className() {
      return layer.className();
    }

    @Override
    public List<String> inbound() {
      return node.inputs().stream().map(t -> t.layer().name()).toList();
    }

    @Override
    public List<long[]> inputShapes() {
      return node.inputs().stream().map(t -> dims(t.shape())).toList();
    }

    @Override
    public long[] outputShape() {
      if (node.outputs().size() != 1) {
        throw new IllegalArgumentException(layer.describe() + " has " + node.outputs().size()
            + " outputs; the accounting tools handle single-output layers");
      }
      return dims(node.outputs().get(0).shape());
    }

    @Override
    public Map<String, Object> config() {
      return layer.getConfig();
    }

    @Override
    public List<WeightView> weights() {
      List<WeightView> out = new ArrayList<>();
      for (Weight w : layer.weights()) {
        out.add(new WeightView(w.name(), dims(w.value().getShape()),
            () -> Optional.of(w.value().toType(DataType.FLOAT32, false).toFloatArray())));
      }
      return out;
    }

    @Override
    public Optional<List<WeightView>> foldedWeights() {
      if (!(layer instanceof FoldedBatchNormLayer folded)) {
        return Optional.empty();
      }
      List<Weight> own = layer.weights();
      List<WeightView> out = new ArrayList<>();
      String[] names = {own.get(0).name(), "bias"};
      long[][] shapes;
      try (NDScope ignored = new NDScope()) {
        NDArray[] kb = folded.getFoldedWeights();
        shapes = new long[][] {dims(kb[0].getShape()), dims(kb[1].getShape())};
      }
      for (int i = 0; i < 2; i++) {
        int index = i;
        out.add(new WeightView(names[i], shapes[i], () -> {
          try (NDScope ignored = new NDScope()) {
            return Optional.of(folded.getFoldedWeights()[index].toType(DataType.FLOAT32, false).toFloatArray());
          }
        }));
      }
      return Optional.of(out);
    }

    /**
     * The quantizer the layer holds under {@code key}: a quantized layer's live quantizer (with the
     * scale its last call computed), else the quantizer written in the layer's config (a QKeras
     * string or {@code {class_name, config}} map); a Keras activation name is not a quantizer.
     */
    @Override
    public Quantizer quantizer(String key) {
      if (layer instanceof QuantizedLayer q && q.quantizerSlots().arguments().contains(key)) {
        return q.quantizer(key);
      }
      return quantizers.computeIfAbsent(key, k -> Optional.ofNullable(parse(layer.getConfig().get(k)))).orElse(null);
    }

    private Quantizer parse(Object v) {
      if (v instanceof String s) {
        String name = QuantizerSpecParser.parse(s).name();
        return QuantizerRegistry.find(name) == null ? null : Quantizers.parse(s);
      }
      if (v instanceof Map<?, ?> m && m.get("class_name") instanceof String cls) {
        return QuantizerRegistry.find(cls) == null ? null : Quantizers.fromConfig(m);
      }
      return null;
    }
  }
}

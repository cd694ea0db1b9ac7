package org.qkeras4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.qkeras4j.data.Dataset;
import org.qkeras4j.data.HostTensor;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.layers.Layer;
import org.qkeras4j.layers.LayerContainer;
import org.qkeras4j.layers.Names;
import org.qkeras4j.layers.Node;
import org.qkeras4j.layers.Shapes;
import org.qkeras4j.layers.SymbolicTensor;
import org.qkeras4j.layers.Weight;
import org.qkeras4j.layers.constraints.ConstraintBatch;
import org.qkeras4j.layers.core.InputLayer;
import org.qkeras4j.train.FitOptions;
import org.qkeras4j.train.History;
import org.qkeras4j.train.Inference;
import org.qkeras4j.train.TrainableModel;
import org.qkeras4j.train.Trainer;

/**
 * A Keras model: a named graph of layers from input layers to outputs, built either as a
 * {@link #sequential() Sequential} stack or functionally ({@code y = layer.apply(x)}, then
 * {@link #of(String, List, List)}), with shape inference, Keras-ordered layers and weights,
 * {@link #summary()}, Keras JSON config ({@link #toJson()}, {@link #fromJson(String)}) and
 * save/load ({@link #save(Path)}, {@link #load(Path)}), and Keras's training methods
 * ({@link #compile}, {@link #fit}, {@link #evaluate}, {@link #predict(HostTensor)}), which
 * delegate to the {@link Trainer} that {@code compile} creates and the model keeps.
 *
 * <p>The model owns a long-lived NDManager that holds every weight; {@link #close()} frees them.
 * {@link #forward} keeps no per-batch arrays: callers run each step inside an {@link NDScope}
 * ({@link #predict} does).
 */
public final class Model implements TrainableModel, LayerContainer, AutoCloseable {
  private final String name;
  private final boolean sequential;
  private final List<SymbolicTensor> inputs;
  private final List<SymbolicTensor> outputs;
  private final Graph graph;
  private final NDManager manager;
  private Trainer trainer;

  private Model(String name, boolean sequential, List<SymbolicTensor> inputs, List<SymbolicTensor> outputs) {
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one input and one output");
    }
    this.name = name;
    this.sequential = sequential;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.graph = new Graph(this.inputs, this.outputs);
    this.manager = Engines.get().newBaseManager();
    try {
      for (Node node : graph.executionOrder()) {
        node.layer().build(manager, node.inputShapes());
      }
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  // ---- construction -----------------------------------------------------------------------------

  /** A functional model from input tensors ({@link Input}) to output tensors; null name = default. */
  public static Model of(String name, List<SymbolicTensor> inputs, List<SymbolicTensor> outputs) {
    return new Model(name == null ? Names.unique("model") : name, false, inputs, outputs);
  }

  /** A functional model with one input and one output. */
  public static Model of(SymbolicTensor input, SymbolicTensor output) {
    return of(null, List.of(input), List.of(output));
  }

  /** A functional model with one input and one output. */
  public static Model of(String name, SymbolicTensor input, SymbolicTensor output) {
    return of(name, List.of(input), List.of(output));
  }

  /** Starts a Sequential model. */
  public static SequentialBuilder sequential() {
    return new SequentialBuilder();
  }

  /** A Sequential model of {@code layers} on inputs of {@code inputShape} (batch excluded). */
  public static Model sequential(long[] inputShape, Layer... layers) {
    SequentialBuilder b = sequential().input(inputShape);
    for (Layer l : layers) {
      b.add(l);
    }
    return b.build();
  }

  /** Builds a Sequential model: a stack of single-input, single-output layers. */
  public static final class SequentialBuilder {
    private String name;
    private long[] inputShape;
    private InputLayer inputLayer;
    private final List<Layer> layers = new ArrayList<>();

    private SequentialBuilder() {}

    public SequentialBuilder name(String name) {
      this.name = name;
      return this;
    }

    /** The input shape without the batch dimension (-1 for unknown dimensions). */
    public SequentialBuilder input(long... dims) {
      this.inputShape = dims.clone();
      return this;
    }

    /** Adds a layer on top; an {@link InputLayer} may come first to fix the input and its name. */
    public SequentialBuilder add(Layer layer) {
      if (layer instanceof InputLayer in) {
        if (inputLayer != null || !layers.isEmpty()) {
          throw new IllegalArgumentException("an InputLayer can only be the first layer of a Sequential model");
        }
        inputLayer = in;
        return this;
      }
      layers.add(layer);
      return this;
    }

    public Model build() {
      if (layers.isEmpty()) {
        throw new IllegalArgumentException("a Sequential model needs at least one layer");
      }
      InputLayer in = inputLayer;
      if (in == null) {
        Layer first = layers.get(0);
        Shape shape = inputShape != null ? Shapes.batchOf(inputShape) : first.batchInputShape();
        if (shape == null) {
          throw new IllegalArgumentException("a Sequential model needs its input shape: call input(...) or give "
              + first.describe() + " an input shape");
        }
        // Keras names the implicit input after the first layer.
        in = InputLayer.of(first.name() + "_input", Shapes.withoutBatch(shape));
      }
      SymbolicTensor x = in.output();
      for (Layer l : layers) {
        List<SymbolicTensor> out = l.applyAll(List.of(x));
        if (out.size() != 1) {
          throw new IllegalArgumentException("all layers in a Sequential model should have a single output; "
              + l.describe() + " has " + out.size());
        }
        x = out.get(0);
      }
      return new Model(name == null ? Names.unique("sequential") : name, true, List.of(in.output()), List.of(x));
    }
  }

  // ---- structure -------------------------------------------------------------------------------------

  public String name() {
    return name;
  }

  /** True for a model built as (or loaded from) a Sequential. */
  public boolean isSequential() {
    return sequential;
  }

  /**
   * The layers in Keras order ({@code model.layers}): inputs first; a Sequential model's implicit
   * input layer is left out, as in Keras.
   */
  @Override
  public List<Layer> layers() {
    List<Layer> all = graph.layers();
    if (sequential) {
      return Collections.unmodifiableList(all.subList(1, all.size()));
    }
    return Collections.unmodifiableList(all);
  }

  /** Every layer including a Sequential model's input layer. */
  List<Layer> allLayers() {
    return Collections.unmodifiableList(graph.layers());
  }

  /** The layer called {@code layerName}. */
  public Layer getLayer(String layerName) {
    for (Layer l : graph.layers()) {
      if (l.name().equals(layerName)) {
        return l;
      }
    }
    List<String> names = new ArrayList<>();
    for (Layer l : graph.layers()) {
      names.add(l.name());
    }
    throw new IllegalArgumentException("model '" + name + "' has no layer named '" + layerName + "'; layers: " + names);
  }

  public List<SymbolicTensor> inputs() {
    return inputs;
  }

  public List<SymbolicTensor> outputs() {
    return outputs;
  }

  /** The input layers, in input order. */
  public List<InputLayer> inputLayers() {
    List<InputLayer> out = new ArrayList<>();
    for (SymbolicTensor t : inputs) {
      out.add((InputLayer) t.layer());
    }
    return out;
  }

  /** The input shapes (batch -1). */
  public List<Shape> inputShapes() {
    return inputs.stream().map(SymbolicTensor::shape).toList();
  }

  /** The output shapes (batch -1). */
  public List<Shape> outputShapes() {
    return outputs.stream().map(SymbolicTensor::shape).toList();
  }

  /** True when the node belongs to this model. */
  boolean contains(Node node) {
    return graph.contains(node);
  }

  /** Nodes grouped by depth, deepest (inputs) first. */
  Map<Integer, List<Node>> nodesByDepth() {
    return graph.nodesByDepth();
  }

  /** The manager holding the weights (for optimizer state and the like). */
  public NDManager manager() {
    return manager;
  }

  // ---- running ----------------------------------------------------------------------------------------

  /**
   * Runs the model. Fails naming the input and the shapes when an input does not fit, and naming
   * the layer when a layer cannot take what it receives.
   */
  @Override
  public NDList forward(NDList inputValues, boolean training) {
    return forward(inputValues, training, null);
  }

  /**
   * Runs the model as {@link #forward(NDList, boolean)} and, when {@code addedLosses} is not
   * null, appends each layer's activity regularization loss for this call.
   */
  @Override
  public NDList forward(NDList inputValues, boolean training, List<NDArray> addedLosses) {
    if (inputValues.size() != inputs.size()) {
      throw new IllegalArgumentException("model '" + name + "' expects " + inputs.size() + " input(s) "
          + Shapes.format(inputShapes().toArray(new Shape[0])) + ", got " + inputValues.size());
    }
    Map<SymbolicTensor, NDArray> values = new IdentityHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      SymbolicTensor in = inputs.get(i);
      NDArray v = inputValues.get(i);
      if (!Shapes.compatible(in.shape(), v.getShape())) {
        throw new IllegalArgumentException("input '" + in.layer().name() + "' of model '" + name
            + "' expects shape " + Shapes.format(in.shape()) + ", got " + v.getShape());
      }
      values.put(in, v);
    }
    for (Node node : graph.executionOrder()) {
      if (values.containsKey(node.outputs().get(0))) {
        continue; // computed together with the layer before it
      }
      NDList args = new NDList(node.inputs().size());
      for (SymbolicTensor t : node.inputs()) {
        args.add(values.get(t));
      }
      if (forwardWithNextActivation(node, args, training, values)) {
        continue;
      }
      NDList out = node.layer().forward(args, training);
      if (addedLosses != null) {
        NDArray activity = node.layer().activityLoss(out);
        if (activity != null) {
          addedLosses.add(activity);
        }
      }
      for (int j = 0; j < node.outputs().size(); j++) {
        values.put(node.outputs().get(j), out.get(j));
      }
    }
    NDList result = new NDList(outputs.size());
    for (SymbolicTensor t : outputs) {
      result.add(values.get(t));
    }
    return result;
  }

  /**
   * Runs {@code node} and the activation that alone consumes its output as one fused call when
   * both have a fused form ({@link Layer#forwardThen}); puts the activation's output and returns
   * true, or returns false having done nothing. Activity regularizers keep the two apart: each
   * needs its own layer's output.
   */
  private boolean forwardWithNextActivation(Node node, NDList args, boolean training,
      Map<SymbolicTensor, NDArray> values) {
    Node next = graph.soleConsumer(node);
    if (next == null || !next.layer().isBuilt() || node.layer().activityRegularizer() != null
        || next.layer().activityRegularizer() != null) {
      return false;
    }
    String body = next.layer().fusedActivationBody(args.head().getDataType(), training);
    NDArray y = body == null ? null : node.layer().forwardThen(args, training, body);
    if (y == null) {
      return false;
    }
    values.put(next.outputs().get(0), y);
    return true;
  }

  /**
   * Inference on a whole data set in batches, each run in its own {@link NDScope}. The outputs
   * are attached to the inputs' manager.
   */
  public NDList predict(NDList inputValues, int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
    }
    long n = inputValues.head().getShape().get(0);
    if (n == 0) {
      throw new IllegalArgumentException("predict needs at least one sample, got shapes " + inputValues.getShapes());
    }
    for (NDArray a : inputValues) {
      if (a.getShape().get(0) != n) {
        throw new IllegalArgumentException("all inputs must have the same number of samples, got shapes "
            + inputValues.getShapes());
      }
    }
    NDManager target = inputValues.head().getManager();
    try (NDManager parts = target.newSubManager()) {
      List<List<NDArray>> pieces = new ArrayList<>();
      for (int j = 0; j < outputs.size(); j++) {
        pieces.add(new ArrayList<>());
      }
      for (long start = 0; start < n; start += batchSize) {
        long end = Math.min(n, start + batchSize);
        try (NDScope ignored = new NDScope()) {
          NDList batch = new NDList(inputValues.size());
          for (NDArray a : inputValues) {
            batch.add(a.get(new NDIndex(start + ":" + end)));
          }
          NDList y = forward(batch, false);
          for (int j = 0; j < y.size(); j++) {
            NDArray kept = y.get(j).duplicate();
            NDScope.unregister(kept);
            kept.attach(parts);
            pieces.get(j).add(kept);
          }
        }
      }
      NDList result = new NDList(outputs.size());
      for (List<NDArray> p : pieces) {
        NDArray joined = p.size() == 1 ? p.get(0) : NDArrays.concat(new NDList(p));
        joined.attach(target);
        result.add(joined);
      }
      return result;
    }
  }

  /** Inference for a single-input model; returns the first output. */
  public NDArray predict(NDArray x, int batchSize) {
    return predict(new NDList(x), batchSize).head();
  }

  /**
   * Inference on plain floats: {@code data} holds samples of {@code sampleShape} (batch excluded)
   * back to back; returns the first output's values, flattened.
   */
  public float[] predict(float[] data, long[] sampleShape, int batchSize) {
    long per = HostTensor.elementCount(sampleShape);
    if (per == 0 || data.length % per != 0) {
      throw new IllegalArgumentException("data length " + data.length + " is not a multiple of the sample size "
          + per + " of shape " + java.util.Arrays.toString(sampleShape));
    }
    long[] dims = new long[sampleShape.length + 1];
    dims[0] = data.length / per;
    System.arraycopy(sampleShape, 0, dims, 1, sampleShape.length);
    return predict(new HostTensor(data, dims), batchSize).data();
  }

  /** Inference on rows of features (a model with rank-2 input); one row of outputs per sample. */
  public float[][] predict(float[][] rows, int batchSize) {
    int width = rows.length == 0 ? 0 : rows[0].length;
    float[] flat = new float[Math.multiplyExact(rows.length, width)];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != width) {
        throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, row 0 has " + width);
      }
      System.arraycopy(rows[i], 0, flat, i * width, width);
    }
    HostTensor y = predict(new HostTensor(flat, rows.length, width), batchSize);
    float[][] out = new float[y.rows()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = java.util.Arrays.copyOfRange(y.data(), i * y.rowSize(), (i + 1) * y.rowSize());
    }
    return out;
  }

  /** Keras's {@code predict} (batch size 32, silent) on heap samples; needs no compile. */
  public HostTensor predict(HostTensor x) {
    return predict(x, 32);
  }

  /**
   * Keras's {@code predict} on heap samples (a single-input model): the first output, computed
   * batch by batch in inference mode. Needs no compile; when compiled it runs through the
   * {@link Trainer} (the same loop).
   */
  public HostTensor predict(HostTensor x, int batchSize) {
    return predict(List.of(x), batchSize);
  }

  /**
   * Keras's {@code predict(x=[a, b])} for a model with several inputs: one tensor per input, in
   * {@link #inputs()} order; returns the first output.
   */
  public HostTensor predict(List<HostTensor> inputValues, int batchSize) {
    return trainer != null ? trainer.predict(inputValues, batchSize, 0)
        : Inference.predict(this, inputValues, batchSize);
  }

  /** Keras's {@code predict(x={"name": a, ...})}: inputs by input layer name. */
  public HostTensor predict(Map<String, HostTensor> inputsByName, int batchSize) {
    return predict(inputList(inputsByName), batchSize);
  }

  /**
   * Inputs given by input layer name (Keras's {@code x} as a dict) in this model's input order.
   * Fails naming a missing input or a name that is not an input.
   */
  public List<HostTensor> inputList(Map<String, HostTensor> inputsByName) {
    List<String> names = inputLayers().stream().map(Layer::name).toList();
    for (String given : inputsByName.keySet()) {
      if (!names.contains(given)) {
        throw new IllegalArgumentException("model '" + name + "' has no input named '" + given + "'; its inputs are "
            + names);
      }
    }
    List<HostTensor> ordered = new ArrayList<>();
    for (String n : names) {
      HostTensor t = inputsByName.get(n);
      if (t == null) {
        throw new IllegalArgumentException("no data for input '" + n + "' of model '" + name + "'; given "
            + inputsByName.keySet());
      }
      ordered.add(t);
    }
    return ordered;
  }

  /** A dataset of inputs by input layer name and targets (null for none), in this model's input order. */
  public Dataset dataset(Map<String, HostTensor> inputsByName, HostTensor y) {
    return new Dataset(inputList(inputsByName), y);
  }

  // ---- training (Keras's compile / fit / evaluate) ------------------------------------------------

  /**
   * Keras's {@code compile}: the optimizer and loss as instances, names or Keras configs, metrics
   * by Keras name. Replaces (and closes) a previous compilation; passing the previous
   * compilation's optimizer instance ({@code compile(trainer().optimizer(), ...)}) keeps its
   * slots and iteration count, as in Keras. Returns the {@link Trainer}, for its output and
   * display settings.
   */
  public Trainer compile(Object optimizer, Object loss, String... metrics) {
    Trainer compiled = Trainer.compile(this, optimizer, loss, metrics);
    if (trainer != null) {
      if (trainer.optimizer() == compiled.optimizer()) {
        trainer.closeWorkMemory();
      } else {
        trainer.close();
      }
    }
    trainer = compiled;
    return compiled;
  }

  /** True once {@link #compile} has run (or a compiled model was loaded). */
  public boolean isCompiled() {
    return trainer != null;
  }

  /** The compiled trainer; fails, as Keras does, when the model was never compiled. */
  public Trainer trainer() {
    if (trainer == null) {
      throw new IllegalStateException("model '" + name + "' must be compiled before training or evaluating:"
          + " call compile(optimizer, loss, metrics...)");
    }
    return trainer;
  }

  /** Keras's {@code fit} with its defaults (batch 32, 1 epoch, shuffled); see {@link Trainer#fit}. */
  public History fit(Dataset data) {
    return trainer().fit(data);
  }

  /** Keras's {@code fit}; see {@link Trainer#fit(Dataset, FitOptions)}. */
  public History fit(Dataset data, FitOptions options) {
    return trainer().fit(data, options);
  }

  /** Keras's {@code fit(x, y, ...)}. */
  public History fit(HostTensor x, HostTensor y, FitOptions options) {
    return fit(new Dataset(x, y), options);
  }

  /** Keras's {@code fit(x=[a, b], y, ...)}: one tensor per input, in {@link #inputs()} order. */
  public History fit(List<HostTensor> x, HostTensor y, FitOptions options) {
    return fit(new Dataset(x, y), options);
  }

  /** Keras's {@code fit(x={"name": a, ...}, y, ...)}: inputs by input layer name. */
  public History fit(Map<String, HostTensor> x, HostTensor y, FitOptions options) {
    return fit(dataset(x, y), options);
  }

  /** Keras's {@code evaluate} (batch 32, progress bar): the loss and metrics by Keras name. */
  public Map<String, Double> evaluate(Dataset data) {
    return trainer().evaluate(data);
  }

  /** Keras's {@code evaluate}. */
  public Map<String, Double> evaluate(Dataset data, int batchSize, int verbose) {
    return trainer().evaluate(data, batchSize, verbose);
  }

  // ---- weights -------------------------------------------------------------------------------------------

  private List<Layer> uniqueLayers() {
    return graph.layers();
  }

  /** Trainable weights, layer by layer in Keras order. */
  @Override
  public List<Weight> trainableWeights() {
    Set<Weight> out = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Weight> ordered = new ArrayList<>();
    for (Layer l : uniqueLayers()) {
      for (Weight w : l.trainableWeights()) {
        if (out.add(w)) {
          ordered.add(w);
        }
      }
    }
    return ordered;
  }

  /** Non-trainable weights (moving statistics, frozen layers), layer by layer. */
  public List<Weight> nonTrainableWeights() {
    List<Weight> ordered = new ArrayList<>();
    for (Layer l : uniqueLayers()) {
      ordered.addAll(l.nonTrainableWeights());
    }
    return ordered;
  }

  /**
   * Keras's {@code model.weights}: the trainable weights, then the non-trainable ones (batch-norm
   * moving statistics), so that EarlyStopping's restore covers all of the model's state.
   */
  @Override
  public List<Weight> weights() {
    LinkedHashSet<Weight> all = new LinkedHashSet<>(trainableWeights());
    all.addAll(nonTrainableWeights());
    return new ArrayList<>(all);
  }

  /** A layer's weight values in Keras order (the live arrays; copy before changing). */
  public List<NDArray> getWeights(String layerName) {
    return getLayer(layerName).weights().stream().map(Weight::value).toList();
  }

  /** Sets a layer's weights (Keras's {@code layer.set_weights}), in Keras order. */
  public void setWeights(String layerName, List<NDArray> values) {
    getLayer(layerName).setWeights(values);
  }

  /** Total number of weight scalars. */
  public long countParams() {
    long n = 0;
    for (Layer l : uniqueLayers()) {
      n += l.countParams();
    }
    return n;
  }

  @Override
  public NDArray regularizationLoss() {
    NDArray total = null;
    for (Layer l : uniqueLayers()) {
      NDArray p = l.regularizationLoss();
      if (p != null) {
        total = total == null ? p : total.add(p);
      }
    }
    return total;
  }

  @Override
  public void applyConstraints() {
    ConstraintBatch batch = new ConstraintBatch();
    for (Layer l : uniqueLayers()) {
      l.applyConstraints(batch);
    }
    batch.run();
  }

  // ---- reports, config, files -------------------------------------------------------------------------

  /** Prints Keras's summary table to standard output. */
  public void summary() {
    summary(System.out::println);
  }

  /** Prints Keras's summary table line by line through {@code printFn}. */
  public void summary(Consumer<String> printFn) {
    Summary.print(this, printFn);
  }

  /** The Keras config {@code {"class_name": "Sequential"|"Functional", "config": {...}}}. */
  public Map<String, Object> getConfig() {
    return ModelConfig.toConfig(this);
  }

  /** The Keras JSON of the architecture (no weights). */
  public String toJson() {
    return ModelConfig.toJson(this);
  }

  /** Rebuilds a model (fresh weights) from Keras JSON: Sequential, Functional or Model. */
  public static Model fromJson(String json) {
    return ModelConfig.fromJson(json);
  }

  /** Rebuilds a model (fresh weights) from a Keras config map. */
  public static Model fromConfig(Map<String, ?> config) {
    return ModelConfig.fromConfig(config);
  }

  /**
   * Writes architecture and weights to one file, atomically (see {@link ModelArchive}); a compiled
   * model also keeps its loss, metrics, optimizer config and optimizer slots. Usable as a
   * {@code ModelCheckpoint} saver: {@code new ModelCheckpoint(path, model::save)}.
   */
  public void save(Path path) throws IOException {
    ModelArchive.write(this, path, trainer == null ? Map.of() : CompiledState.toExtras(trainer));
  }

  /** Reads a model written by {@link #save}, compiled again if it was saved compiled. */
  public static Model load(Path path) throws IOException {
    ModelArchive archive = ModelArchive.read(path);
    Model model = archive.model();
    if (CompiledState.present(archive.extras())) {
      try {
        CompiledState.restore(model, archive.extras(), "model file " + path);
      } catch (IOException | RuntimeException e) {
        model.close();
        throw e;
      }
    }
    return model;
  }

  /** Frees every weight, and the compiled trainer's memory and optimizer slots. */
  @Override
  public void close() {
    if (trainer != null) {
      trainer.close();
      trainer = null;
    }
    manager.close();
  }

  @Override
  public String toString() {
    return "Model(" + name + ", " + graph.layers().size() + " layers)";
  }
}

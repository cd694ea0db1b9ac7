package org.qkeras4j.layers;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qkeras4j.engine.Scalars;
import org.qkeras4j.layers.activations.ActivationFunction;
import org.qkeras4j.layers.activations.Activations;
import org.qkeras4j.layers.constraints.Constraint;
import org.qkeras4j.layers.constraints.ConstraintBatch;
import org.qkeras4j.layers.constraints.Constraints;
import org.qkeras4j.layers.initializers.Initializer;
import org.qkeras4j.layers.initializers.Initializers;
import org.qkeras4j.layers.regularizers.Regularizer;
import org.qkeras4j.layers.regularizers.Regularizers;

/**
 * A Keras layer, channels-last, float32.
 *
 * <p>Life cycle, as in Keras: the constructor reads and checks the config (a bad argument fails at
 * once naming it and the value); {@link #build} creates the weights in a long-lived manager once
 * the input shapes are known; {@link #call} runs the forward pass and stays short. Calling a layer
 * on {@link SymbolicTensor}s ({@link #apply}) wires a functional graph and infers shapes without
 * touching weights.
 *
 * <p>Every layer is made from a {@link KerasConfig}: builders fill one, {@link LayerRegistry}
 * passes the JSON config, and {@link #getConfig()} writes the same arguments back under their
 * Keras names. A subclass (a quantized layer) reads its extra keys from the same config after
 * calling {@code super(config)}, and overrides the {@code effective...} hooks of its float parent.
 *
 * <p>Memory: {@code call} may create any temporaries (the caller runs each step in an {@link
 * NDScope}) but never stores per-batch arrays in fields. Weights are unregistered from any open
 * scope when created.
 */
public abstract class Layer {
  /** A weight with its regularizer and constraint. */
  private record Slot(Weight weight, Regularizer regularizer, Constraint constraint) {}

  private final String name;
  private boolean trainable;
  private final Shape batchInputShape;
  private final List<Node> inboundNodes = new ArrayList<>();
  private final List<Slot> slots = new ArrayList<>();
  private NDManager manager;
  private Shape[] builtInputShapes;
  private Regularizer activityRegularizer;

  /**
   * Reads the arguments every Keras layer takes: {@code name} (default: a unique snake_case name
   * of the class), {@code trainable}, {@code dtype} (float32 only) and the input shape hints
   * {@code batch_input_shape} / {@code batch_shape} / {@code input_shape} (+ {@code batch_size}) /
   * {@code input_dim}.
   */
  protected Layer(KerasConfig config) {
    String given = config.getString("name", null);
    if (given != null && given.isEmpty()) {
      throw config.error("name", "must not be empty");
    }
    this.name = given != null ? given : Names.unique(Names.snakeCase(getClass().getSimpleName()));
    this.trainable = config.getBoolean("trainable", true);
    readDtype(config);
    this.batchInputShape = readBatchInputShape(config);
  }

  private static void readDtype(KerasConfig config) {
    Object dtype = config.raw("dtype");
    if (dtype instanceof Map<?, ?> policy && policy.get("config") instanceof Map<?, ?> pc) {
      dtype = pc.get("name"); // Keras 3 writes a DTypePolicy object
    }
    if (dtype != null && !"float32".equals(dtype)) {
      throw config.error("dtype", "must be 'float32' (the only dtype qkeras4j layers compute in)");
    }
  }

  private static Shape readBatchInputShape(KerasConfig config) {
    long[] batch = config.getDims("batch_input_shape");
    long[] keras3 = config.getDims("batch_shape");
    long[] input = config.getDims("input_shape");
    Integer batchSize = config.getIntOrNull("batch_size");
    Integer inputDim = config.getIntOrNull("input_dim");
    if (batch == null) {
      batch = keras3;
    }
    if (batch == null && input == null && inputDim != null) {
      input = new long[] {inputDim};
    }
    if (batch == null && input != null) {
      batch = new long[input.length + 1];
      batch[0] = batchSize == null ? -1 : batchSize;
      System.arraycopy(input, 0, batch, 1, input.length);
    }
    return batch == null ? null : new Shape(batch);
  }

  // ---- identity and config ---------------------------------------------------------------

  /** The layer's name, unique within a model. */
  public final String name() {
    return name;
  }

  /** The Keras class name written in configs; by default the Java simple class name. */
  public String className() {
    return getClass().getSimpleName();
  }

  /** {@code layer 'conv2d_1' (Conv2D)}, for messages. */
  public final String describe() {
    return "layer '" + name + "' (" + className() + ")";
  }

  public final boolean trainable() {
    return trainable;
  }

  /** Freezes or unfreezes the layer: a frozen layer's weights are all non-trainable. */
  public final void setTrainable(boolean trainable) {
    this.trainable = trainable;
  }

  /** The input shape given at construction ({@code batch_input_shape}), or null. */
  public final Shape batchInputShape() {
    return batchInputShape;
  }

  /**
   * The constructor arguments under their Keras names, as plain JSON values; {@link
   * LayerRegistry} rebuilds an equal layer from it. Subclasses add to {@code super.getConfig()}.
   */
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name);
    c.put("trainable", trainable);
    if (batchInputShape != null) {
      c.put("batch_input_shape", Shapes.toJson(batchInputShape));
    }
    c.put("dtype", "float32");
    return c;
  }

  // ---- shapes and the symbolic graph --------------------------------------------------------

  /**
   * The output shapes for the given input shapes (batch and unknown dimensions -1). Fails, naming
   * the layer and the shapes, when the inputs do not suit the layer.
   */
  public abstract Shape[] outputShapes(Shape[] inputShapes);

  /** Calls the layer on one symbolic tensor (Keras's {@code layer(x)}). */
  public final SymbolicTensor apply(SymbolicTensor input) {
    return applyAll(List.of(input)).get(0);
  }

  /** Calls the layer on several symbolic tensors (Keras's {@code layer([a, b])}). */
  public final SymbolicTensor apply(SymbolicTensor first, SymbolicTensor... more) {
    List<SymbolicTensor> all = new ArrayList<>();
    all.add(first);
    all.addAll(Arrays.asList(more));
    return applyAll(all).get(0);
  }

  /** Calls the layer on symbolic tensors and returns all its outputs. */
  public final List<SymbolicTensor> applyAll(List<SymbolicTensor> inputs) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException(describe() + " must be called on at least one input");
    }
    Shape[] shapes = new Shape[inputs.size()];
    for (int i = 0; i < shapes.length; i++) {
      shapes[i] = Shapes.withUnknownBatch(inputs.get(i).shape());
    }
    Shape[] expected = expectedInputShapes();
    if (expected != null) {
      requireCompatible(expected, shapes);
    }
    Node node = new Node(this, inboundNodes.size(), inputs, outputShapes(shapes));
    inboundNodes.add(node);
    return node.outputs();
  }

  /** Creates the node of an input layer (no inputs, one output of {@code shape}). */
  protected final SymbolicTensor addInputNode(Shape shape) {
    Node node = new Node(this, inboundNodes.size(), List.of(), new Shape[] {shape});
    inboundNodes.add(node);
    return node.outputs().get(0);
  }

  /** The calls of this layer so far, in order (Keras's {@code _inbound_nodes}). */
  public final List<Node> inboundNodes() {
    return Collections.unmodifiableList(inboundNodes);
  }

  private Shape[] expectedInputShapes() {
    if (builtInputShapes != null) {
      return builtInputShapes;
    }
    for (Node n : inboundNodes) {
      if (!n.isInput()) {
        return n.inputShapes();
      }
    }
    return null;
  }

  private void requireCompatible(Shape[] expected, Shape[] actual) {
    boolean ok = expected.length == actual.length;
    for (int i = 0; ok && i < expected.length; i++) {
      ok = Shapes.compatible(expected[i], actual[i]);
    }
    if (!ok) {
      boolean single = expected.length == 1 && actual.length == 1;
      throw new IllegalArgumentException(describe() + (single
          ? " expects input shape " + Shapes.format(expected[0]) + " but got " + Shapes.format(actual[0])
          : " expects input shapes " + Shapes.format(expected) + " but got " + Shapes.format(actual)));
    }
  }

  // ---- building ------------------------------------------------------------------------------

  /**
   * Creates the weights for these input shapes in a sub-manager of {@code parent} (which must
   * outlive the layer's use). Does nothing when already built for compatible shapes.
   */
  public final void build(NDManager parent, Shape... inputShapes) {
    Shape[] shapes = new Shape[inputShapes.length];
    for (int i = 0; i < shapes.length; i++) {
      shapes[i] = Shapes.withUnknownBatch(inputShapes[i]);
    }
    if (builtInputShapes != null) {
      requireCompatible(builtInputShapes, shapes);
      return;
    }
    outputShapes(shapes); // validates the inputs before anything is allocated
    manager = parent.newSubManager();
    builtInputShapes = shapes;
    try {
      buildWeights(shapes);
    } catch (RuntimeException e) {
      builtInputShapes = null;
      slots.clear();
      manager.close();
      manager = null;
      throw e;
    }
  }

  /**
   * Creates the weights ({@link #addWeight}) for the given input shapes (batch -1). Layers
   * without weights keep the default, which does nothing.
   */
  protected void buildWeights(Shape[] inputShapes) {}

  public final boolean isBuilt() {
    return builtInputShapes != null;
  }

  /** The input shapes the layer was built for (batch -1), or null before {@link #build}. */
  public final Shape[] builtInputShapes() {
    return builtInputShapes == null ? null : builtInputShapes.clone();
  }

  /**
   * Adds a weight made by {@code initializer}, in Keras's creation order (which is the order of
   * {@link #weights()} and {@code get_weights()}).
   */
  protected final Weight addWeight(String weightName, Shape shape, Initializer initializer,
      Regularizer regularizer, Constraint constraint, boolean trainableWeight) {
    if (manager == null) {
      throw new IllegalStateException(describe() + ": weights can only be added while building");
    }
    NDArray value = initializer.initialize(manager, shape).toType(DataType.FLOAT32, false);
    NDScope.unregister(value);
    Weight w = new Weight(weightName, value, trainableWeight);
    slots.add(new Slot(w, regularizer, constraint));
    return w;
  }

  /**
   * Builds {@code inner}, a layer this one wraps (Keras's {@code Wrapper}), in this layer's manager
   * and makes its weights, with their regularizers and constraints, this layer's own, after the
   * ones it already has: Keras lists a wrapped layer's weights as the wrapper's, and the trainer,
   * summary and files see only the wrapper. Call from {@link #buildWeights}.
   */
  protected final void buildWrapped(Layer inner, Shape... inputShapes) {
    if (manager == null) {
      throw new IllegalStateException(describe() + ": wrapped layers can only be built while building");
    }
    inner.build(manager, inputShapes);
    slots.addAll(inner.slots);
  }

  // ---- the forward pass ---------------------------------------------------------------------

  /**
   * Runs the layer on concrete inputs, building it first if needed (in the inputs' manager).
   * Fails naming the layer and the shapes when the inputs do not fit what the layer was built for.
   */
  public final NDList forward(NDList inputs, boolean training) {
    Shape[] shapes = shapesOf(inputs);
    if (!isBuilt()) {
      build(inputs.head().getManager(), shapes);
    } else {
      requireCompatible(builtInputShapes, shapes);
    }
    try {
      return call(inputs, training);
    } catch (EngineException e) {
      throw new IllegalStateException(
          describe() + " failed on input shapes " + Shapes.format(shapes) + ": " + e.getMessage(), e);
    }
  }

  /** The forward pass on inputs whose shapes have been checked. */
  protected abstract NDList call(NDList inputs, boolean training);

  /**
   * The forward pass followed by an element-wise activation on the single output, as one fused
   * call: {@code activationBody} is a {@link org.qkeras4j.quant.Quantizer#fusedBody} (a
   * TorchScript function of {@code x}), the value and gradient are those of the two run one after
   * the other. Null when this layer has no such form for these inputs, or is not built yet; the
   * caller then runs the two apart. A model uses it for a layer whose only consumer is a {@code
   * QActivation}: one call instead of two per step.
   */
  public final NDArray forwardThen(NDList inputs, boolean training, String activationBody) {
    if (!isBuilt()) {
      return null;
    }
    Shape[] shapes = shapesOf(inputs);
    requireCompatible(builtInputShapes, shapes);
    try {
      return callThen(inputs, training, activationBody);
    } catch (EngineException e) {
      throw new IllegalStateException(
          describe() + " failed on input shapes " + Shapes.format(shapes) + ": " + e.getMessage(), e);
    }
  }

  private static Shape[] shapesOf(NDList inputs) {
    Shape[] shapes = new Shape[inputs.size()];
    for (int i = 0; i < shapes.length; i++) {
      shapes[i] = inputs.get(i).getShape();
    }
    return shapes;
  }

  /** {@link #forwardThen} on checked inputs; null (the default) when there is no fused form. */
  protected NDArray callThen(NDList inputs, boolean training, String activationBody) {
    return null;
  }

  /**
   * This layer as a fused body of one tensor, for {@link #forwardThen} of the layer before it;
   * null (the default) when it is not an element-wise function with a fused form for such input.
   */
  public String fusedActivationBody(DataType dtype, boolean training) {
    return null;
  }

  // ---- weights ------------------------------------------------------------------------------

  /** All weights in Keras order (creation order: e.g. kernel, bias; gamma, beta, moving_mean, moving_variance). */
  public final List<Weight> weights() {
    List<Weight> out = new ArrayList<>();
    for (Slot s : slots) {
      out.add(s.weight);
    }
    return out;
  }

  /** Weights the optimizer updates (none when the layer is frozen). */
  public final List<Weight> trainableWeights() {
    List<Weight> out = new ArrayList<>();
    if (trainable) {
      for (Slot s : slots) {
        if (s.weight.trainable()) {
          out.add(s.weight);
        }
      }
    }
    return out;
  }

  /** Weights the optimizer leaves alone (moving statistics; everything when frozen). */
  public final List<Weight> nonTrainableWeights() {
    List<Weight> out = new ArrayList<>();
    for (Slot s : slots) {
      if (!trainable || !s.weight.trainable()) {
        out.add(s.weight);
      }
    }
    return out;
  }

  /** The weight called {@code weightName} ({@code kernel}, {@code bias}, ...). */
  public final Weight weight(String weightName) {
    for (Slot s : slots) {
      if (s.weight.name().equals(weightName)) {
        return s.weight;
      }
    }
    throw new IllegalArgumentException(describe() + " has no weight '" + weightName + "'; it has "
        + weights().stream().map(Weight::name).toList());
  }

  /**
   * Replaces every weight's value (Keras's {@code set_weights}), in {@link #weights()} order; the
   * values are copied into the layer's manager.
   */
  public final void setWeights(List<NDArray> values) {
    if (!isBuilt()) {
      throw new IllegalStateException(describe() + " is not built yet, so it has no weights to set");
    }
    if (values.size() != slots.size()) {
      throw new IllegalArgumentException(describe() + " has " + slots.size() + " weights "
          + weights().stream().map(Weight::name).toList() + " but " + values.size() + " values were given");
    }
    for (int i = 0; i < values.size(); i++) {
      Weight w = slots.get(i).weight;
      NDArray v = values.get(i);
      if (!v.getShape().equals(w.value().getShape())) {
        throw new IllegalArgumentException(describe() + ": weight '" + w.name() + "' has shape "
            + w.value().getShape() + ", cannot set a value of shape " + v.getShape());
      }
      NDArray copy = manager.create(v.toType(DataType.FLOAT32, false).toFloatArray(), v.getShape());
      w.setValue(copy);
    }
  }

  /**
   * True when every weight is a statistic that may start from its initial value: a saved file
   * with no arrays at all for this layer (written before the statistic became a weight) still
   * loads, keeping the initial values. False by default: a missing weight is an error.
   */
  public boolean loadsWithoutWeights() {
    return false;
  }

  /**
   * Keras's {@code activity_regularizer}: the penalty of the layer's outputs, added to the loss.
   * Layers whose Keras config has the argument (Dense, the convolutions) read it and call this.
   */
  protected final void setActivityRegularizer(Regularizer regularizer) {
    this.activityRegularizer = regularizer;
  }

  /** The activity regularizer, or null. */
  public final Regularizer activityRegularizer() {
    return activityRegularizer;
  }

  /**
   * Keras 2's activity regularization loss for one call: for each output, the regularizer's
   * penalty divided by the output's batch size (Keras makes the strength batch-agnostic), summed;
   * null without an activity regularizer.
   */
  public final NDArray activityLoss(NDList outputs) {
    if (activityRegularizer == null) {
      return null;
    }
    NDArray total = null;
    for (NDArray out : outputs) {
      NDArray p = Scalars.div(activityRegularizer.penalty(out), out.getShape().get(0));
      total = total == null ? p : total.add(p);
    }
    return total;
  }

  /** Number of scalars in all weights (Keras's {@code count_params}). */
  public final long countParams() {
    long n = 0;
    for (Slot s : slots) {
      n += s.weight.value().getShape().size();
    }
    return n;
  }

  /** Sum of the weights' regularization penalties, or null when no weight has a regularizer. */
  public NDArray regularizationLoss() {
    NDArray total = null;
    for (Slot s : slots) {
      if (s.regularizer != null) {
        NDArray p = s.regularizer.penalty(s.weight.value());
        total = total == null ? p : total.add(p);
      }
    }
    return total;
  }

  /**
   * Projects each trainable weight that has a constraint, in place (Keras applies constraints
   * after every optimizer step). Call outside a gradient collector.
   */
  public void applyConstraints() {
    ConstraintBatch batch = new ConstraintBatch();
    applyConstraints(batch);
    batch.run();
  }

  /** As {@link #applyConstraints()}, leaving the fusable projections to {@code batch}. */
  public void applyConstraints(ConstraintBatch batch) {
    if (!trainable) {
      return;
    }
    for (Slot s : slots) {
      if (s.constraint != null && s.weight.trainable()) {
        batch.add(s.weight.value(), s.constraint);
      }
    }
  }

  // ---- helpers for subclasses ---------------------------------------------------------------

  /** An error naming this layer. */
  protected final IllegalArgumentException error(String problem) {
    return new IllegalArgumentException(describe() + ": " + problem);
  }

  /** The single input shape, or an error when the layer got several. */
  protected final Shape singleInput(Shape[] inputShapes) {
    if (inputShapes.length != 1) {
      throw error("expects exactly one input, got " + inputShapes.length + " with shapes " + Shapes.format(inputShapes));
    }
    return inputShapes[0];
  }

  /** Fails unless the shape has one of the given ranks (batch included). */
  protected final void requireRank(Shape shape, int... ranks) {
    for (int r : ranks) {
      if (shape.dimension() == r) {
        return;
      }
    }
    throw error("expects input of rank " + (ranks.length == 1 ? ranks[0] : Arrays.toString(ranks))
        + " (batch included), got shape " + Shapes.format(shape));
  }

  /** Fails unless dimension {@code axis} of the shape is known. */
  protected final long requireKnown(Shape shape, int axis, String what) {
    long d = shape.get(axis);
    if (d < 0) {
      throw error("the " + what + " dimension of the input must be known, got shape " + Shapes.format(shape));
    }
    return d;
  }

  /** Reads an initializer argument ({@code glorot_uniform}, a config map, ...). */
  protected static Initializer initializerArg(KerasConfig config, String key, String defaultName) {
    Object v = config.raw(key);
    try {
      return Initializers.get(v == null ? defaultName : v);
    } catch (IllegalArgumentException e) {
      throw config.error(key, "is not a valid initializer (" + e.getMessage() + ")");
    }
  }

  /** Reads a regularizer argument (null for none). */
  protected static Regularizer regularizerArg(KerasConfig config, String key) {
    try {
      return Regularizers.get(config.raw(key));
    } catch (IllegalArgumentException e) {
      throw config.error(key, "is not a valid regularizer (" + e.getMessage() + ")");
    }
  }

  /** Reads a constraint argument (null for none). */
  protected static Constraint constraintArg(KerasConfig config, String key) {
    try {
      return Constraints.get(config.raw(key));
    } catch (IllegalArgumentException e) {
      throw config.error(key, "is not a valid constraint (" + e.getMessage() + ")");
    }
  }

  /** Reads an activation argument (null is {@code linear}). */
  protected static ActivationFunction activationArg(KerasConfig config, String key) {
    try {
      return Activations.get(config.raw(key));
    } catch (IllegalArgumentException e) {
      throw config.error(key, "is not a valid activation (" + e.getMessage() + ")");
    }
  }

  @Override
  public String toString() {
    return className() + "(" + name + ")";
  }
}

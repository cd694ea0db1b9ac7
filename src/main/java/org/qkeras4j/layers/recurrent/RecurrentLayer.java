package org.qkeras4j.layers.recurrent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.qkeras4j.engine.Scalars;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.Layer;
import org.qkeras4j.layers.Shapes;
import org.qkeras4j.layers.Weight;
import org.qkeras4j.layers.activations.ActivationFunction;
import org.qkeras4j.layers.constraints.Constraint;
import org.qkeras4j.layers.constraints.Constraints;
import org.qkeras4j.layers.initializers.Initializer;
import org.qkeras4j.layers.initializers.Initializers;
import org.qkeras4j.layers.regularizers.Regularizer;
import org.qkeras4j.layers.regularizers.Regularizers;

/**
 * What Keras's {@code SimpleRNN}, {@code LSTM} and {@code GRU} share (Keras's {@code RNN} around a
 * cell): the arguments, the three weights in Keras layout and the time loop.
 *
 * <p>Input {@code (batch, timesteps, features)}; {@code kernel [features, gates * units]},
 * {@code recurrent_kernel [units, gates * units]}, {@code bias} (shape chosen by the cell); output
 * {@code (batch, units)}, or {@code (batch, timesteps, units)} with {@code return_sequences}, plus
 * the final states with {@code return_state}. The states start at zero. With
 * {@code go_backwards} the sequence is read from its end and the returned sequence is in that
 * (reversed) order, as in Keras.
 *
 * <p>The loop: the input projection {@code x . kernel (+ input bias)} is computed for all steps in
 * one matmul, then each step calls {@link #step} with the previous states. Autograd records every
 * step, so the layer trains with the ordinary trainer. Dropout ({@code dropout},
 * {@code recurrent_dropout}) is applied only in training, with one mask per call shared by all
 * steps and gates (as Keras 3 does).
 *
 * <p>Quantized subclasses pass a {@link RecurrentQuantizers}: the kernels and bias are quantized
 * once per call, and the states before every step (QKeras's {@code state_quantizer}). Without it
 * (float layers) nothing is changed.
 */
public abstract class RecurrentLayer extends Layer {
  private final int units;
  private final int gates;
  private final ActivationFunction activation;
  private final boolean useBias;
  private final Initializer kernelInitializer;
  private final Initializer recurrentInitializer;
  private final Initializer biasInitializer;
  private final Regularizer kernelRegularizer;
  private final Regularizer recurrentRegularizer;
  private final Regularizer biasRegularizer;
  private final Constraint kernelConstraint;
  private final Constraint recurrentConstraint;
  private final Constraint biasConstraint;
  private final double dropout;
  private final double recurrentDropout;
  private final boolean returnSequences;
  private final boolean returnState;
  private final boolean goBackwards;
  private final boolean unroll;
  private final RecurrentQuantizers quantizers;
  private String weightPrefix = "";
  private Weight kernel;
  private Weight recurrentKernel;
  private Weight bias;

  /**
   * @param gates how many blocks of {@code units} columns the kernels have (1, 4 for LSTM, 3 for GRU)
   * @param quantizers the quantizers of a Q-layer, null for the float layer
   */
  protected RecurrentLayer(KerasConfig config, int gates, RecurrentQuantizers quantizers) {
    super(config);
    this.gates = gates;
    this.quantizers = quantizers;
    this.units = config.getPositiveInt("units", null);
    this.activation = activationArg(config.has("activation") ? config : config.with("activation", "tanh"), "activation");
    this.useBias = config.getBoolean("use_bias", true);
    this.kernelInitializer = initializerArg(config, "kernel_initializer", "glorot_uniform");
    this.recurrentInitializer = initializerArg(config, "recurrent_initializer", "orthogonal");
    this.biasInitializer = initializerArg(config, "bias_initializer", "zeros");
    this.kernelRegularizer = regularizerArg(config, "kernel_regularizer");
    this.recurrentRegularizer = regularizerArg(config, "recurrent_regularizer");
    this.biasRegularizer = regularizerArg(config, "bias_regularizer");
    config.requireNull("activity_regularizer", "activity regularization is not implemented");
    this.kernelConstraint = constraintArg(config, "kernel_constraint");
    this.recurrentConstraint = constraintArg(config, "recurrent_constraint");
    this.biasConstraint = constraintArg(config, "bias_constraint");
    this.dropout = rate(config, "dropout");
    this.recurrentDropout = rate(config, "recurrent_dropout");
    this.returnSequences = config.getBoolean("return_sequences", false);
    this.returnState = config.getBoolean("return_state", false);
    this.goBackwards = config.getBoolean("go_backwards", false);
    if (config.getBoolean("stateful", false)) {
      throw config.error("stateful", "is not supported (qkeras4j starts every batch from zero states)");
    }
    if (config.getBoolean("time_major", false)) {
      throw config.error("time_major", "is not supported (inputs are (batch, timesteps, features))");
    }
    this.unroll = config.getBoolean("unroll", false); // the loop is always unrolled here
    // Masks are not supported, so zero_output_for_mask changes nothing; seed and use_cudnn are
    // Keras 3's dropout seed and kernel choice.
    config.ignore("zero_output_for_mask", "seed", "use_cudnn");
  }

  private static double rate(KerasConfig config, String key) {
    double r = config.getDouble(key, 0.0);
    if (!(r >= 0 && r < 1)) {
      throw config.error(key, "must be in [0, 1)");
    }
    return r;
  }

  // ---- what each cell defines ----------------------------------------------------------------

  /** The bias shape: {@code [gates * units]}, or GRU's {@code [2, 3 * units]} with reset_after. */
  protected Shape biasShape() {
    return new Shape((long) gates * units);
  }

  /** The bias's initial value (LSTM's unit_forget_bias changes the forget gate's part). */
  protected Initializer biasInitializerForBuild() {
    return biasInitializer;
  }

  /** The part of the (effective) bias added to the input projection. */
  protected NDArray inputBias(NDArray bias) {
    return bias;
  }

  /** The number of states carried from step to step (LSTM: h and c). */
  protected int stateCount() {
    return 1;
  }

  /**
   * One time step. {@code projected} is {@code x_t . kernel + input bias}, {@code states} the
   * previous states (after the state quantizer), {@code recurrentInput} the previous output as the
   * recurrent matmul reads it (after the state quantizer and the recurrent dropout mask).
   * Returns the new states; the first is the step's output.
   */
  protected abstract NDList step(NDArray projected, NDList states, NDArray recurrentInput, StepWeights weights,
      boolean training);

  /** The recurrent kernel and bias as one call reads them (effective, i.e. quantized in Q-layers). */
  protected record StepWeights(NDArray recurrentKernel, NDArray bias) {}

  // ---- shapes and weights --------------------------------------------------------------------

  @Override
  public Shape[] outputShapes(Shape[] inputShapes) {
    Shape in = singleInput(inputShapes);
    requireRank(in, 3);
    requireKnown(in, 2, "feature (last)");
    Shape out = returnSequences ? new Shape(in.get(0), in.get(1), units) : new Shape(in.get(0), units);
    Shape[] all = new Shape[returnState ? 1 + stateCount() : 1];
    all[0] = out;
    for (int i = 1; i < all.length; i++) {
      all[i] = new Shape(in.get(0), units);
    }
    return all;
  }

  /**
   * Names this layer's weights {@code prefix + "kernel"} etc.; a wrapper ({@link Bidirectional})
   * calls it before building, so that its two copies of the layer have distinct weight names.
   */
  void prefixWeightNames(String prefix) {
    if (isBuilt()) {
      throw new IllegalStateException(describe() + " is already built: its weight names are fixed");
    }
    this.weightPrefix = prefix;
  }

  /** The prefix of this layer's weight names ("" unless wrapped). */
  String weightPrefix() {
    return weightPrefix;
  }

  @Override
  protected void buildWeights(Shape[] inputShapes) {
    long features = inputShapes[0].get(2);
    long width = (long) gates * units;
    kernel = addWeight(weightPrefix + "kernel", new Shape(features, width), kernelInitializer, kernelRegularizer,
        kernelConstraint, true);
    recurrentKernel = addWeight(weightPrefix + "recurrent_kernel", new Shape(units, width), recurrentInitializer,
        recurrentRegularizer, recurrentConstraint, true);
    if (useBias) {
      bias = addWeight(weightPrefix + "bias", biasShape(), biasInitializerForBuild(), biasRegularizer, biasConstraint,
          true);
    }
  }

  // ---- the forward pass ----------------------------------------------------------------------

  @Override
  protected NDList call(NDList inputs, boolean training) {
    NDArray x = inputs.singletonOrThrow();
    long batch = x.getShape().get(0);
    long steps = x.getShape().get(1);
    if (steps < 1) {
      throw error("needs at least one time step, got input shape " + Shapes.format(x.getShape()));
    }
    NDArray w = quantizers == null ? kernel.value() : quantizers.kernel(kernel.value(), training);
    NDArray u = quantizers == null ? recurrentKernel.value() : quantizers.recurrentKernel(recurrentKernel.value(), training);
    NDArray b = !useBias ? null : quantizers == null ? bias.value() : quantizers.bias(bias.value(), training);
    StepWeights weights = new StepWeights(u, b);
    NDArray inputMask = training && dropout > 0 ? dropoutMask(x, new Shape(batch, 1, x.getShape().get(2)), dropout) : null;
    NDArray projected = (inputMask == null ? x : x.mul(inputMask)).matMul(w);
    if (useBias) {
      projected = projected.add(inputBias(b));
    }
    NDArray recurrentMask = training && recurrentDropout > 0 ? dropoutMask(x, new Shape(batch, units), recurrentDropout) : null;
    NDList states = new NDList();
    for (int i = 0; i < stateCount(); i++) {
      states.add(x.getManager().zeros(new Shape(batch, units), x.getDataType()));
    }
    List<NDArray> outputs = new ArrayList<>();
    for (long i = 0; i < steps; i++) {
      long t = goBackwards ? steps - 1 - i : i;
      NDList quantized = new NDList();
      for (NDArray s : states) {
        quantized.add(quantizers == null ? s : quantizers.state(s, training));
      }
      NDArray recurrentInput = recurrentMask == null ? quantized.get(0) : quantized.get(0).mul(recurrentMask);
      states = step(projected.get(new NDIndex(":, {}, :", t)), quantized, recurrentInput, weights, training);
      if (returnSequences) {
        outputs.add(states.get(0));
      }
    }
    NDList out = new NDList(returnSequences ? NDArrays.stack(new NDList(outputs), 1) : states.get(0));
    if (returnState) {
      out.addAll(states);
    }
    return out;
  }

  /** Keras's inverted dropout mask: kept entries scaled by {@code 1 / (1 - rate)}. */
  private static NDArray dropoutMask(NDArray like, Shape shape, double rate) {
    return Scalars.div(
        like.getManager().randomUniform(0f, 1f, shape, DataType.FLOAT32).gte(rate).toType(like.getDataType(), false),
        1 - rate);
  }

  /** Columns {@code [g * units, (g + 1) * units)} of a {@code (..., gates * units)} array: gate {@code g}. */
  protected final NDArray gate(NDArray a, int g) {
    return a.get(new NDIndex("..., {}:{}", (long) g * units, (long) (g + 1) * units));
  }

  /** Columns of gates {@code [from, to)}. */
  protected final NDArray gates(NDArray a, int from, int to) {
    return a.get(new NDIndex("..., {}:{}", (long) from * units, (long) to * units));
  }

  /** The output activation. */
  protected final NDArray activate(NDArray y, boolean training) {
    return activation.isLinear() ? y : activation.apply(y, training);
  }

  // ---- accessors and config ------------------------------------------------------------------

  public int units() {
    return units;
  }

  public ActivationFunction activation() {
    return activation;
  }

  /** LSTM's and GRU's {@code recurrent_activation}; null for SimpleRNN. */
  public ActivationFunction recurrentActivation() {
    return null;
  }

  public boolean useBias() {
    return useBias;
  }

  public boolean returnSequences() {
    return returnSequences;
  }

  public boolean returnState() {
    return returnState;
  }

  public boolean goBackwards() {
    return goBackwards;
  }

  /** The kernel weight {@code [features, gates * units]} (null before build). */
  public Weight kernel() {
    return kernel;
  }

  /** The recurrent kernel weight {@code [units, gates * units]} (null before build). */
  public Weight recurrentKernel() {
    return recurrentKernel;
  }

  /** The bias weight (null without bias or before build). */
  public Weight bias() {
    return bias;
  }

  /**
   * Keras's config: the RNN's arguments, then the cell's up to {@code bias_initializer}; the cell
   * adds its own in {@link #putCellArguments}, then regularizers, constraints and dropouts follow.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("return_sequences", returnSequences);
    c.put("return_state", returnState);
    c.put("go_backwards", goBackwards);
    c.put("stateful", false);
    c.put("unroll", unroll);
    c.put("time_major", false);
    c.put("units", units);
    c.put("activation", activation.serialize());
    putGateActivation(c);
    c.put("use_bias", useBias);
    c.put("kernel_initializer", Initializers.serialize(kernelInitializer));
    c.put("recurrent_initializer", Initializers.serialize(recurrentInitializer));
    c.put("bias_initializer", Initializers.serialize(biasInitializer));
    putCellArguments(c);
    c.put("kernel_regularizer", Regularizers.serialize(kernelRegularizer));
    c.put("recurrent_regularizer", Regularizers.serialize(recurrentRegularizer));
    c.put("bias_regularizer", Regularizers.serialize(biasRegularizer));
    c.put("activity_regularizer", null);
    c.put("kernel_constraint", Constraints.serialize(kernelConstraint));
    c.put("recurrent_constraint", Constraints.serialize(recurrentConstraint));
    c.put("bias_constraint", Constraints.serialize(biasConstraint));
    if (quantizers != null) {
      quantizers.putConfig(c);
    }
    c.put("dropout", dropout);
    c.put("recurrent_dropout", recurrentDropout);
    putTrailingArguments(c);
    return c;
  }

  /** {@code recurrent_activation}, right after {@code activation} (LSTM, GRU). */
  protected void putGateActivation(Map<String, Object> c) {}

  /** Arguments after {@code bias_initializer} ({@code unit_forget_bias}). */
  protected void putCellArguments(Map<String, Object> c) {}

  /** Arguments after the dropouts ({@code implementation}, {@code reset_after}). */
  protected void putTrailingArguments(Map<String, Object> c) {}
}

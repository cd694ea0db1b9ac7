package org.qkeras4j.layers.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.Layer;
import org.qkeras4j.layers.LayerBuilder;
import org.qkeras4j.layers.Weight;
import org.qkeras4j.layers.activations.ActivationFunction;
import org.qkeras4j.layers.constraints.Constraint;
import org.qkeras4j.layers.constraints.Constraints;
import org.qkeras4j.layers.initializers.Initializer;
import org.qkeras4j.layers.initializers.Initializers;
import org.qkeras4j.layers.regularizers.Regularizer;
import org.qkeras4j.layers.regularizers.Regularizers;

/**
 * Keras's {@code Dense}: {@code activation(x . kernel + bias)} on the last axis.
 *
 * <p>Input {@code (batch, ..., in)}; kernel {@code [in, units]} (Keras layout); bias
 * {@code [units]}; output {@code (batch, ..., units)}.
 *
 * <p>Hooks for quantized subclasses: {@link #effectiveKernel}, {@link #effectiveBias},
 * {@link #activate}. With the defaults, a subclass computes exactly what {@code Dense} computes.
 */
public class Dense extends Layer {
  private final int units;
  private final ActivationFunction activation;
  private final boolean useBias;
  private final Initializer kernelInitializer;
  private final Initializer biasInitializer;
  private final Regularizer kernelRegularizer;
  private final Regularizer biasRegularizer;
  private final Constraint kernelConstraint;
  private final Constraint biasConstraint;
  private Weight kernel;
  private Weight bias;

  public Dense(KerasConfig config) {
    super(config);
    this.units = config.getPositiveInt("units", null);
    this.activation = activationArg(config, "activation");
    this.useBias = config.getBoolean("use_bias", true);
    this.kernelInitializer = initializerArg(config, "kernel_initializer", "glorot_uniform");
    this.biasInitializer = initializerArg(config, "bias_initializer", "zeros");
    this.kernelRegularizer = regularizerArg(config, "kernel_regularizer");
    this.biasRegularizer = regularizerArg(config, "bias_regularizer");
    setActivityRegularizer(regularizerArg(config, "activity_regularizer"));
    this.kernelConstraint = constraintArg(config, "kernel_constraint");
    this.biasConstraint = constraintArg(config, "bias_constraint");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code Dense(units, activation=activation)}. */
  public static Dense of(int units, String activation) {
    return builder().units(units).activation(activation).build();
  }

  @Override
  public Shape[] outputShapes(Shape[] inputShapes) {
    Shape in = singleInput(inputShapes);
    if (in.dimension() < 2) {
      throw error("expects input of rank 2 or more (batch included), got shape " + org.qkeras4j.layers.Shapes.format(in));
    }
    requireKnown(in, in.dimension() - 1, "last");
    long[] out = in.getShape().clone();
    out[out.length - 1] = units;
    return new Shape[] {new Shape(out)};
  }

  @Override
  protected void buildWeights(Shape[] inputShapes) {
    long in = inputShapes[0].getLastDimension();
    kernel = addWeight("kernel", new Shape(in, units), kernelInitializer, kernelRegularizer, kernelConstraint, true);
    if (useBias) {
      bias = addWeight("bias", new Shape(units), biasInitializer, biasRegularizer, biasConstraint, true);
    }
  }

  @Override
  protected NDList call(NDList inputs, boolean training) {
    NDArray y = inputs.singletonOrThrow().matMul(effectiveKernel(kernel.value(), training));
    if (useBias) {
      y = y.add(effectiveBias(bias.value(), training));
    }
    return new NDList(activate(y, training));
  }

  /** The kernel the forward pass uses, from the latent one (a quantizer in QDense). */
  protected NDArray effectiveKernel(NDArray latent, boolean training) {
    return latent;
  }

  /** The bias the forward pass uses, from the latent one. */
  protected NDArray effectiveBias(NDArray latent, boolean training) {
    return latent;
  }

  /** The output activation. */
  protected NDArray activate(NDArray y, boolean training) {
    return activation.isLinear() ? y : activation.apply(y, training);
  }

  public int units() {
    return units;
  }

  public ActivationFunction activation() {
    return activation;
  }

  public boolean useBias() {
    return useBias;
  }

  /** The kernel weight {@code [in, units]} (null before build). */
  public Weight kernel() {
    return kernel;
  }

  /** The bias weight (null without bias or before build). */
  public Weight bias() {
    return bias;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("units", units);
    c.put("activation", activation.serialize());
    c.put("use_bias", useBias);
    c.put("kernel_initializer", Initializers.serialize(kernelInitializer));
    c.put("bias_initializer", Initializers.serialize(biasInitializer));
    c.put("kernel_regularizer", Regularizers.serialize(kernelRegularizer));
    c.put("bias_regularizer", Regularizers.serialize(biasRegularizer));
    c.put("activity_regularizer", Regularizers.serialize(activityRegularizer()));
    c.put("kernel_constraint", Constraints.serialize(kernelConstraint));
    c.put("bias_constraint", Constraints.serialize(biasConstraint));
    return c;
  }

  /** Dense's arguments, shared by the builders of its subclasses. */
  public abstract static class Options<T extends Options<T>> extends LayerBuilder<T> {
    public T units(int units) {
      return set("units", units);
    }

    /** A Keras activation name (or, in subclasses, what they accept). */
    public T activation(Object activation) {
      return set("activation", activation);
    }

    public T useBias(boolean useBias) {
      return set("use_bias", useBias);
    }

    /** An initializer name, config map or {@link Initializer}. */
    public T kernelInitializer(Object initializer) {
      return set("kernel_initializer", initializer);
    }

    public T biasInitializer(Object initializer) {
      return set("bias_initializer", initializer);
    }

    public T kernelRegularizer(Object regularizer) {
      return set("kernel_regularizer", regularizer);
    }

    public T biasRegularizer(Object regularizer) {
      return set("bias_regularizer", regularizer);
    }

    public T kernelConstraint(Object constraint) {
      return set("kernel_constraint", constraint);
    }

    public T biasConstraint(Object constraint) {
      return set("bias_constraint", constraint);
    }
  }

  /** Builds a {@link Dense}. */
  public static final class Builder extends Options<Builder> {
    @Override
    protected Builder self() {
      return this;
    }

    public Dense build() {
      return make("Dense", Dense::new);
    }
  }
}

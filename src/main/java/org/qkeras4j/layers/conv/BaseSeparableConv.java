package org.qkeras4j.layers.conv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.Weight;
import org.qkeras4j.layers.constraints.Constraint;
import org.qkeras4j.layers.constraints.Constraints;
import org.qkeras4j.layers.initializers.Initializer;
import org.qkeras4j.layers.initializers.Initializers;
import org.qkeras4j.layers.regularizers.Regularizer;
import org.qkeras4j.layers.regularizers.Regularizers;

/**
 * The separable convolution of spatial rank 1 or 2 behind {@link SeparableConv1D} and
 * {@link SeparableConv2D}: a depthwise convolution (strides, padding and dilation apply here)
 * followed by a 1x1 pointwise convolution, then bias and activation.
 *
 * <p>Weights (Keras layout, in this order): depthwise kernel {@code [k..., in, depth_multiplier]},
 * pointwise kernel {@code [1..., in * depth_multiplier, filters]}, bias {@code [filters]}.
 *
 * <p>Hooks for quantized subclasses: {@link #effectiveDepthwiseKernel},
 * {@link #effectivePointwiseKernel}, {@link #effectiveBias}, {@link #activate}.
 */
public abstract class BaseSeparableConv extends AbstractConv {
  private final int filters;
  private final int depthMultiplier;
  private final Initializer depthwiseInitializer;
  private final Initializer pointwiseInitializer;
  private final Regularizer depthwiseRegularizer;
  private final Regularizer pointwiseRegularizer;
  private final Constraint depthwiseConstraint;
  private final Constraint pointwiseConstraint;
  private Weight depthwiseKernel;
  private Weight pointwiseKernel;

  protected BaseSeparableConv(int rank, KerasConfig config) {
    super(rank, config, rank == 1);
    this.filters = config.getPositiveInt("filters", null);
    this.depthMultiplier = config.getPositiveInt("depth_multiplier", 1);
    if (config.getInt("groups", 1) != 1) {
      throw config.error("groups", "must be 1 for separable convolutions");
    }
    this.depthwiseInitializer = initializerArg(config, "depthwise_initializer", "glorot_uniform");
    this.pointwiseInitializer = initializerArg(config, "pointwise_initializer", "glorot_uniform");
    this.depthwiseRegularizer = regularizerArg(config, "depthwise_regularizer");
    this.pointwiseRegularizer = regularizerArg(config, "pointwise_regularizer");
    this.depthwiseConstraint = constraintArg(config, "depthwise_constraint");
    this.pointwiseConstraint = constraintArg(config, "pointwise_constraint");
  }

  @Override
  public Shape[] outputShapes(Shape[] inputShapes) {
    Shape in = singleInput(inputShapes);
    inputChannels(in);
    return new Shape[] {slidingOutputShape(in, filters)};
  }

  @Override
  protected void buildWeights(Shape[] inputShapes) {
    int rank = rank();
    long in = inputShapes[0].get(rank + 1);
    int[] ks = kernelSize();
    long[] dw = new long[rank + 2];
    long[] pw = new long[rank + 2];
    for (int i = 0; i < rank; i++) {
      dw[i] = ks[i];
      pw[i] = 1;
    }
    dw[rank] = in;
    dw[rank + 1] = depthMultiplier;
    pw[rank] = in * depthMultiplier;
    pw[rank + 1] = filters;
    depthwiseKernel = addWeight("depthwise_kernel", new Shape(dw), depthwiseInitializer, depthwiseRegularizer,
        depthwiseConstraint, true);
    pointwiseKernel = addWeight("pointwise_kernel", new Shape(pw), pointwiseInitializer, pointwiseRegularizer,
        pointwiseConstraint, true);
    addBias(filters);
  }

  @Override
  protected NDList call(NDList inputs, boolean training) {
    NDArray depthwise = ConvOps.depthwiseConv(inputs.singletonOrThrow(),
        effectiveDepthwiseKernel(depthwiseKernel.value(), training), strides(), padding(), dilationRate());
    int[] ones = filled(rank(), 1);
    NDArray y = ConvOps.conv(depthwise, effectivePointwiseKernel(pointwiseKernel.value(), training), ones,
        Padding.VALID, ones, 1);
    return new NDList(biasAndActivation(y, training));
  }

  /** The depthwise kernel the forward pass uses, from the latent one. */
  protected NDArray effectiveDepthwiseKernel(NDArray latent, boolean training) {
    return latent;
  }

  /** The pointwise kernel the forward pass uses, from the latent one. */
  protected NDArray effectivePointwiseKernel(NDArray latent, boolean training) {
    return latent;
  }

  public final int filters() {
    return filters;
  }

  public final int depthMultiplier() {
    return depthMultiplier;
  }

  public final Weight depthwiseKernel() {
    return depthwiseKernel;
  }

  public final Weight pointwiseKernel() {
    return pointwiseKernel;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("filters", filters);
    putGeometry(c);
    c.put("activation", serializedActivation());
    c.put("use_bias", useBias());
    c.put("depth_multiplier", depthMultiplier);
    c.put("depthwise_initializer", Initializers.serialize(depthwiseInitializer));
    c.put("pointwise_initializer", Initializers.serialize(pointwiseInitializer));
    c.put("bias_initializer", serializedBiasInitializer());
    c.put("depthwise_regularizer", Regularizers.serialize(depthwiseRegularizer));
    c.put("pointwise_regularizer", Regularizers.serialize(pointwiseRegularizer));
    c.put("bias_regularizer", serializedBiasRegularizer());
    c.put("activity_regularizer", Regularizers.serialize(activityRegularizer()));
    c.put("depthwise_constraint", Constraints.serialize(depthwiseConstraint));
    c.put("pointwise_constraint", Constraints.serialize(pointwiseConstraint));
    c.put("bias_constraint", serializedBiasConstraint());
    return c;
  }

  /** Separable convolution arguments, shared by the builders (and quantized subclasses). */
  public abstract static class SeparableOptions<T extends SeparableOptions<T>> extends AbstractConv.Options<T> {
    public T filters(int filters) {
      return set("filters", filters);
    }

    public T depthMultiplier(int multiplier) {
      return set("depth_multiplier", multiplier);
    }

    public T depthwiseInitializer(Object initializer) {
      return set("depthwise_initializer", initializer);
    }

    public T pointwiseInitializer(Object initializer) {
      return set("pointwise_initializer", initializer);
    }

    public T depthwiseRegularizer(Object regularizer) {
      return set("depthwise_regularizer", regularizer);
    }

    public T pointwiseRegularizer(Object regularizer) {
      return set("pointwise_regularizer", regularizer);
    }

    public T depthwiseConstraint(Object constraint) {
      return set("depthwise_constraint", constraint);
    }

    public T pointwiseConstraint(Object constraint) {
      return set("pointwise_constraint", constraint);
    }
  }
}

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
 * Keras's {@code DepthwiseConv2D}: each input channel convolved with its own
 * {@code depth_multiplier} filters. Input {@code (batch, rows, cols, in)}; depthwise kernel
 * {@code [kh, kw, in, depth_multiplier]}; bias {@code [in * depth_multiplier]}; output channel
 * {@code c * depth_multiplier + m} comes from input channel {@code c} and filter {@code m}.
 *
 * <p>Hooks for quantized subclasses: {@link #effectiveDepthwiseKernel}, {@link #effectiveBias},
 * {@link #activate}.
 */
public class DepthwiseConv2D extends AbstractConv {
  private final int depthMultiplier;
  private final Initializer depthwiseInitializer;
  private final Regularizer depthwiseRegularizer;
  private final Constraint depthwiseConstraint;
  private Weight depthwiseKernel;

  public DepthwiseConv2D(KerasConfig config) {
    super(2, config, false);
    this.depthMultiplier = config.getPositiveInt("depth_multiplier", 1);
    if (config.getInt("groups", 1) != 1) {
      throw config.error("groups", "must be 1 for DepthwiseConv2D");
    }
    this.depthwiseInitializer = initializerArg(config, "depthwise_initializer", "glorot_uniform");
    this.depthwiseRegularizer = regularizerArg(config, "depthwise_regularizer");
    this.depthwiseConstraint = constraintArg(config, "depthwise_constraint");
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Shape[] outputShapes(Shape[] inputShapes) {
    Shape in = singleInput(inputShapes);
    return new Shape[] {slidingOutputShape(in, inputChannels(in) * depthMultiplier)};
  }

  @Override
  protected void buildWeights(Shape[] inputShapes) {
    long in = inputShapes[0].get(3);
    int[] k = kernelSize();
    depthwiseKernel = addWeight("depthwise_kernel", new Shape(k[0], k[1], in, depthMultiplier), depthwiseInitializer,
        depthwiseRegularizer, depthwiseConstraint, true);
    addBias(in * depthMultiplier);
  }

  @Override
  protected NDList call(NDList inputs, boolean training) {
    NDArray y = ConvOps.depthwiseConv(inputs.singletonOrThrow(),
        effectiveDepthwiseKernel(depthwiseKernel.value(), training), strides(), padding(), dilationRate());
    return new NDList(biasAndActivation(y, training));
  }

  /** The depthwise kernel the forward pass uses, from the latent one (a quantizer in Q-layers). */
  protected NDArray effectiveDepthwiseKernel(NDArray latent, boolean training) {
    return latent;
  }

  public final int depthMultiplier() {
    return depthMultiplier;
  }

  /** The depthwise kernel {@code [kh, kw, in, depth_multiplier]} (null before build). */
  public final Weight depthwiseKernel() {
    return depthwiseKernel;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    putGeometry(c);
    c.put("activation", serializedActivation());
    c.put("use_bias", useBias());
    c.put("depth_multiplier", depthMultiplier);
    c.put("depthwise_initializer", Initializers.serialize(depthwiseInitializer));
    c.put("bias_initializer", serializedBiasInitializer());
    c.put("depthwise_regularizer", Regularizers.serialize(depthwiseRegularizer));
    c.put("bias_regularizer", serializedBiasRegularizer());
    c.put("activity_regularizer", Regularizers.serialize(activityRegularizer()));
    c.put("depthwise_constraint", Constraints.serialize(depthwiseConstraint));
    c.put("bias_constraint", serializedBiasConstraint());
    return c;
  }

  /** DepthwiseConv2D's arguments, shared with subclass builders. */
  public abstract static class DepthwiseOptions<T extends DepthwiseOptions<T>> extends AbstractConv.Options<T> {
    public T depthMultiplier(int multiplier) {
      return set("depth_multiplier", multiplier);
    }

    public T depthwiseInitializer(Object initializer) {
      return set("depthwise_initializer", initializer);
    }

    public T depthwiseRegularizer(Object regularizer) {
      return set("depthwise_regularizer", regularizer);
    }

    public T depthwiseConstraint(Object constraint) {
      return set("depthwise_constraint", constraint);
    }
  }

  /** Builds a {@link DepthwiseConv2D}. */
  public static final class Builder extends DepthwiseOptions<Builder> {
    @Override
    protected Builder self() {
      return this;
    }

    public DepthwiseConv2D build() {
      return make("DepthwiseConv2D", DepthwiseConv2D::new);
    }
  }
}

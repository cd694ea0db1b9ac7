package org.qkeras4j.layers.conv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.Shapes;
import org.qkeras4j.layers.Weight;
import org.qkeras4j.layers.constraints.Constraint;
import org.qkeras4j.layers.constraints.Constraints;
import org.qkeras4j.layers.initializers.Initializer;
import org.qkeras4j.layers.initializers.Initializers;
import org.qkeras4j.layers.regularizers.Regularizer;
import org.qkeras4j.layers.regularizers.Regularizers;

/**
 * The convolution of spatial rank 1 or 2 behind {@link Conv1D}, {@link Conv2D} and
 * {@link Conv2DTranspose} (Keras's {@code Conv} base): {@code activation(conv(x, kernel) + bias)}.
 *
 * <p>Input {@code (batch, spatial..., in)}; kernel {@code [k..., in / groups, filters]}; bias
 * {@code [filters]}; output {@code (batch, out_spatial..., filters)} where each output length is
 * {@code ceil((in - (k - 1) d) / s)} for {@code valid} and {@code ceil(in / s)} for {@code same}
 * and {@code causal}.
 *
 * <p>Hooks for quantized subclasses: {@link #effectiveKernel}, {@link #effectiveBias},
 * {@link #activate}.
 */
public abstract class BaseConv extends AbstractConv {
  private final int filters;
  private final int groups;
  private final Initializer kernelInitializer;
  private final Regularizer kernelRegularizer;
  private final Constraint kernelConstraint;
  private Weight kernel;

  protected BaseConv(int rank, KerasConfig config) {
    super(rank, config, rank == 1);
    this.filters = config.getPositiveInt("filters", null);
    this.groups = config.getPositiveInt("groups", 1);
    if (filters % groups != 0) {
      throw config.error("groups", "must divide filters (" + filters + ")");
    }
    this.kernelInitializer = initializerArg(config, "kernel_initializer", "glorot_uniform");
    this.kernelRegularizer = regularizerArg(config, "kernel_regularizer");
    this.kernelConstraint = constraintArg(config, "kernel_constraint");
  }

  @Override
  public Shape[] outputShapes(Shape[] inputShapes) {
    Shape in = singleInput(inputShapes);
    long channels = inputChannels(in);
    if (channels % groups != 0) {
      throw error("input channels (" + channels + ") must be divisible by groups (" + groups + "), input shape "
          + Shapes.format(in));
    }
    return new Shape[] {slidingOutputShape(in, filters)};
  }

  @Override
  protected void buildWeights(Shape[] inputShapes) {
    Shape k = kernelShape(inputShapes[0].get(rank() + 1));
    kernel = addWeight("kernel", k, kernelInitializer, kernelRegularizer, kernelConstraint, true);
    addBias(filters);
  }

  /** The kernel's shape in Keras layout for {@code channels} input channels. */
  protected Shape kernelShape(long channels) {
    int[] ks = kernelSize();
    long[] k = new long[rank() + 2];
    for (int i = 0; i < rank(); i++) {
      k[i] = ks[i];
    }
    k[rank()] = channels / groups;
    k[rank() + 1] = filters;
    return new Shape(k);
  }

  /** The convolution itself (no bias, no activation). */
  protected NDArray convolve(NDArray x, NDArray kernel) {
    return ConvOps.conv(x, kernel, strides(), padding(), dilationRate(), groups);
  }

  @Override
  protected NDList call(NDList inputs, boolean training) {
    NDArray y = convolve(inputs.singletonOrThrow(), effectiveKernel(kernel.value(), training));
    return new NDList(biasAndActivation(y, training));
  }

  /** The kernel the forward pass uses, from the latent one (a quantizer in QConv2D). */
  protected NDArray effectiveKernel(NDArray latent, boolean training) {
    return latent;
  }

  /** The kernel initializer (for subclasses that shape their kernels differently). */
  protected final Initializer kernelInitializer() {
    return kernelInitializer;
  }

  protected final Regularizer kernelRegularizer() {
    return kernelRegularizer;
  }

  protected final Constraint kernelConstraint() {
    return kernelConstraint;
  }

  public final int filters() {
    return filters;
  }

  public final int groups() {
    return groups;
  }

  /** The kernel weight in Keras layout (null before build). */
  public final Weight kernel() {
    return kernel;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("filters", filters);
    putGeometry(c);
    c.put("groups", groups);
    c.put("activation", serializedActivation());
    c.put("use_bias", useBias());
    c.put("kernel_initializer", Initializers.serialize(kernelInitializer));
    c.put("bias_initializer", serializedBiasInitializer());
    c.put("kernel_regularizer", Regularizers.serialize(kernelRegularizer));
    c.put("bias_regularizer", serializedBiasRegularizer());
    c.put("activity_regularizer", Regularizers.serialize(activityRegularizer()));
    c.put("kernel_constraint", Constraints.serialize(kernelConstraint));
    c.put("bias_constraint", serializedBiasConstraint());
    return c;
  }

  /** Options of the layers with one {@code kernel} (Conv1D, Conv2D, Conv2DTranspose). */
  public abstract static class KernelOptions<T extends KernelOptions<T>> extends AbstractConv.Options<T> {
    public T filters(int filters) {
      return set("filters", filters);
    }

    public T groups(int groups) {
      return set("groups", groups);
    }

    public T kernelInitializer(Object initializer) {
      return set("kernel_initializer", initializer);
    }

    public T kernelRegularizer(Object regularizer) {
      return set("kernel_regularizer", regularizer);
    }

    public T kernelConstraint(Object constraint) {
      return set("kernel_constraint", constraint);
    }
  }
}

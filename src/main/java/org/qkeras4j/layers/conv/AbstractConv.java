package org.qkeras4j.layers.conv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.Layer;
import org.qkeras4j.layers.LayerBuilder;
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
 * What every convolution layer shares: the window geometry ({@code kernel_size},
 * {@code strides}, {@code padding}, {@code dilation_rate}, channels-last), the optional bias
 * ({@code [out channels]}) and the output activation, with the hooks {@link #effectiveBias} and
 * {@link #activate} that quantized subclasses override.
 */
public abstract class AbstractConv extends Layer {
  private final int rank;
  private final int[] kernelSize;
  private final int[] strides;
  private final Padding padding;
  private final int[] dilationRate;
  private final ActivationFunction activation;
  private final boolean useBias;
  private final Initializer biasInitializer;
  private final Regularizer biasRegularizer;
  private final Constraint biasConstraint;
  private Weight bias;

  protected AbstractConv(int rank, KerasConfig config, boolean causalAllowed) {
    super(config);
    this.rank = rank;
    this.kernelSize = config.getIntTuple("kernel_size", rank, null);
    this.strides = config.getIntTuple("strides", rank, filled(rank, 1));
    this.padding = ConvArgs.padding(config, causalAllowed);
    config.requireChannelsLast();
    this.dilationRate = config.getIntTuple("dilation_rate", rank, filled(rank, 1));
    ConvArgs.requireStridesOrDilation(config, strides, dilationRate);
    this.activation = activationArg(config, "activation");
    this.useBias = config.getBoolean("use_bias", true);
    this.biasInitializer = initializerArg(config, "bias_initializer", "zeros");
    this.biasRegularizer = regularizerArg(config, "bias_regularizer");
    this.biasConstraint = constraintArg(config, "bias_constraint");
    setActivityRegularizer(regularizerArg(config, "activity_regularizer"));
  }

  static int[] filled(int n, int v) {
    int[] out = new int[n];
    java.util.Arrays.fill(out, v);
    return out;
  }

  /** Checks the input's rank and channels and returns the channel count. */
  protected final long inputChannels(Shape in) {
    requireRank(in, rank + 2);
    return requireKnown(in, rank + 1, "channel (last)");
  }

  /** The output shape of the window sweep with {@code channels} output channels. */
  protected final Shape slidingOutputShape(Shape in, long channels) {
    long[] out = new long[rank + 2];
    out[0] = in.get(0);
    for (int i = 0; i < rank; i++) {
      out[i + 1] = padding.outputLength(in.get(i + 1), kernelSize[i], strides[i], dilationRate[i]);
      if (out[i + 1] == 0) {
        throw error("input shape " + Shapes.format(in) + " is too small for kernel_size "
            + java.util.Arrays.toString(kernelSize) + " with padding '" + padding.kerasName() + "'");
      }
    }
    out[rank + 1] = channels;
    return new Shape(out);
  }

  /** Creates the bias {@code [channels]} when {@code use_bias}. */
  protected final void addBias(long channels) {
    if (useBias) {
      bias = addWeight("bias", new Shape(channels), biasInitializer, biasRegularizer, biasConstraint, true);
    }
  }

  /** Adds the (effective) bias and applies the (hooked) activation. */
  protected final NDArray biasAndActivation(NDArray y, boolean training) {
    if (useBias) {
      y = y.add(effectiveBias(bias.value(), training));
    }
    return activate(y, training);
  }

  /** The bias the forward pass uses, from the latent one (a quantizer in Q-layers). */
  protected NDArray effectiveBias(NDArray latent, boolean training) {
    return latent;
  }

  /** The output activation. */
  protected NDArray activate(NDArray y, boolean training) {
    return activation.isLinear() ? y : activation.apply(y, training);
  }

  /** Writes the geometry arguments in Keras's order. */
  protected final void putGeometry(Map<String, Object> c) {
    c.put("kernel_size", KerasConfig.list(kernelSize));
    c.put("strides", KerasConfig.list(strides));
    c.put("padding", padding.kerasName());
    c.put("data_format", "channels_last");
    c.put("dilation_rate", KerasConfig.list(dilationRate));
  }

  protected final Object serializedActivation() {
    return activation.serialize();
  }

  protected final Map<String, Object> serializedBiasInitializer() {
    return Initializers.serialize(biasInitializer);
  }

  protected final Map<String, Object> serializedBiasRegularizer() {
    return Regularizers.serialize(biasRegularizer);
  }

  protected final Map<String, Object> serializedBiasConstraint() {
    return Constraints.serialize(biasConstraint);
  }

  /** Spatial rank: 1 for {@code (batch, steps, channels)}, 2 for images. */
  public final int rank() {
    return rank;
  }

  public final int[] kernelSize() {
    return kernelSize.clone();
  }

  public final int[] strides() {
    return strides.clone();
  }

  public final Padding padding() {
    return padding;
  }

  public final int[] dilationRate() {
    return dilationRate.clone();
  }

  public final ActivationFunction activation() {
    return activation;
  }

  public final boolean useBias() {
    return useBias;
  }

  /** The bias weight (null without bias or before build). */
  public final Weight bias() {
    return bias;
  }

  /** The arguments every convolution builder has. */
  public abstract static class Options<T extends Options<T>> extends LayerBuilder<T> {
    /** One size for every axis, or one per axis. */
    public T kernelSize(int... size) {
      return set("kernel_size", size.length == 1 ? size[0] : tuple(size));
    }

    public T strides(int... strides) {
      return set("strides", strides.length == 1 ? strides[0] : tuple(strides));
    }

    /** {@code valid}, {@code same} (or {@code causal} for Conv1D). */
    public T padding(String padding) {
      return set("padding", padding);
    }

    public T dilationRate(int... rate) {
      return set("dilation_rate", rate.length == 1 ? rate[0] : tuple(rate));
    }

    /** A Keras activation name (or, in quantized subclasses, what they accept). */
    public T activation(Object activation) {
      return set("activation", activation);
    }

    public T useBias(boolean useBias) {
      return set("use_bias", useBias);
    }

    public T biasInitializer(Object initializer) {
      return set("bias_initializer", initializer);
    }

    public T biasRegularizer(Object regularizer) {
      return set("bias_regularizer", regularizer);
    }

    public T biasConstraint(Object constraint) {
      return set("bias_constraint", constraint);
    }
  }
}

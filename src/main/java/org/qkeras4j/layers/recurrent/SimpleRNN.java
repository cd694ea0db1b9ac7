package org.qkeras4j.layers.recurrent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.qkeras4j.layers.KerasConfig;

/**
 * Keras's {@code SimpleRNN}: {@code h_t = activation(x_t . kernel + bias + h_{t-1} . recurrent_kernel)}
 * (default activation {@code tanh}). Weights: kernel {@code [features, units]}, recurrent_kernel
 * {@code [units, units]}, bias {@code [units]}; SimpleRNN(8) on 1 feature has 8 + 64 + 8 = 80
 * parameters. See {@link RecurrentLayer} for the loop and the shared arguments.
 */
public class SimpleRNN extends RecurrentLayer {

  public SimpleRNN(KerasConfig config) {
    this(config, null);
  }

  /** For {@link QSimpleRNN}: the float layer with quantizers (null for none). */
  protected SimpleRNN(KerasConfig config, RecurrentQuantizers quantizers) {
    super(config, 1, quantizers);
  }

  @Override
  protected NDList step(NDArray projected, NDList states, NDArray recurrentInput, StepWeights weights,
      boolean training) {
    return new NDList(activate(projected.add(recurrentInput.matMul(weights.recurrentKernel())), training));
  }
}

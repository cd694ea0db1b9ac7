package org.qkeras4j.layers.recurrent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.qkeras4j.layers.KerasConfig;

/**
 * Keras's {@code GRU}. Gates in Keras's column order z (update), r (reset), h (candidate); with
 * {@code ra} the {@code recurrent_activation} (sigmoid) and {@code a} the {@code activation}
 * (tanh), {@code x = x_t . kernel + b_in}:
 * <ul>
 *   <li>{@code reset_after=True} (Keras 2's default; bias {@code [2, 3 units]}: input row, then
 *       recurrent row): {@code rec = h_{t-1} . recurrent_kernel + b_rec}, {@code z = ra(x_z + rec_z)},
 *       {@code r = ra(x_r + rec_r)}, {@code hh = a(x_h + r * rec_h)};</li>
 *   <li>{@code reset_after=False} (bias {@code [3 units]}): {@code z}, {@code r} as above without
 *       {@code b_rec}, {@code hh = a(x_h + (r * h_{t-1}) . recurrent_kernel_h)};</li>
 * </ul>
 * then {@code h_t = z * h_{t-1} + (1 - z) * hh}.
 */
public class GRU extends GatedRecurrentLayer {
  private final boolean resetAfter;

  public GRU(KerasConfig config) {
    this(config, null);
  }

  /** For {@link QGRU}: the float layer with quantizers (null for none); QGRU's reset_after default is False. */
  protected GRU(KerasConfig config, RecurrentQuantizers quantizers) {
    super(config, 3, quantizers);
    this.resetAfter = config.getBoolean("reset_after", quantizers == null);
  }

  @Override
  protected Shape biasShape() {
    long width = 3L * units();
    return resetAfter ? new Shape(2, width) : new Shape(width);
  }

  @Override
  protected NDArray inputBias(NDArray bias) {
    return resetAfter ? bias.get(new NDIndex("0")) : bias;
  }

  @Override
  protected NDList step(NDArray projected, NDList states, NDArray recurrentInput, StepWeights weights,
      boolean training) {
    NDArray u = weights.recurrentKernel();
    NDArray previous = states.get(0);
    NDArray recurrent;
    if (resetAfter) {
      recurrent = recurrentInput.matMul(u);
      if (weights.bias() != null) {
        recurrent = recurrent.add(weights.bias().get(new NDIndex("1")));
      }
    } else {
      recurrent = recurrentInput.matMul(gates(u, 0, 2));
    }
    NDArray z = recurrentActivation().apply(gate(projected, 0).add(gate(recurrent, 0)), training);
    NDArray r = recurrentActivation().apply(gate(projected, 1).add(gate(recurrent, 1)), training);
    NDArray candidateInput = resetAfter
        ? r.mul(gate(recurrent, 2))
        : r.mul(recurrentInput).matMul(gate(u, 2));
    NDArray hh = activate(gate(projected, 2).add(candidateInput), training);
    NDArray h = z.mul(previous).add(z.neg().add(1).mul(hh));
    return new NDList(h);
  }

  public boolean resetAfter() {
    return resetAfter;
  }

  @Override
  protected void putTrailingArguments(Map<String, Object> c) {
    super.putTrailingArguments(c);
    c.put("reset_after", resetAfter);
  }
}

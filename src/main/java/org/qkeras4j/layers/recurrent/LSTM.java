package org.qkeras4j.layers.recurrent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.initializers.Initializer;

/**
 * Keras's {@code LSTM}. Gates in Keras's column order i, f, c, o: with
 * {@code z = x_t . kernel + h_{t-1} . recurrent_kernel + bias},
 * {@code i = ra(z_i)}, {@code f = ra(z_f)}, {@code c_t = f * c_{t-1} + i * a(z_c)},
 * {@code o = ra(z_o)}, {@code h_t = o * a(c_t)}, where {@code a} is {@code activation} (tanh) and
 * {@code ra} is {@code recurrent_activation} (sigmoid). Weights: kernel {@code [features, 4 units]},
 * recurrent_kernel {@code [units, 4 units]}, bias {@code [4 units]}; with {@code unit_forget_bias}
 * (default) the forget gate's bias starts at one. States: h and c. {@code implementation} (1 or 2)
 * is kept for the config; both compute the same values.
 */
public class LSTM extends GatedRecurrentLayer {
  private final boolean unitForgetBias;

  public LSTM(KerasConfig config) {
    this(config, null);
  }

  /** For {@link QLSTM}: the float layer with quantizers (null for none). */
  protected LSTM(KerasConfig config, RecurrentQuantizers quantizers) {
    super(config, 4, quantizers);
    this.unitForgetBias = config.getBoolean("unit_forget_bias", true);
  }

  @Override
  protected int stateCount() {
    return 2;
  }

  @Override
  protected Initializer biasInitializerForBuild() {
    Initializer given = super.biasInitializerForBuild();
    return unitForgetBias ? new ForgetBiasOnes(given, units()) : given;
  }

  @Override
  protected NDList step(NDArray projected, NDList states, NDArray recurrentInput, StepWeights weights,
      boolean training) {
    NDArray z = projected.add(recurrentInput.matMul(weights.recurrentKernel()));
    NDArray i = recurrentActivation().apply(gate(z, 0), training);
    NDArray f = recurrentActivation().apply(gate(z, 1), training);
    NDArray c = f.mul(states.get(1)).add(i.mul(activate(gate(z, 2), training)));
    NDArray o = recurrentActivation().apply(gate(z, 3), training);
    NDArray h = o.mul(activate(c, training));
    return new NDList(h, c);
  }

  public boolean unitForgetBias() {
    return unitForgetBias;
  }

  @Override
  protected void putCellArguments(Map<String, Object> c) {
    c.put("unit_forget_bias", unitForgetBias);
  }

  /**
   * Keras's {@code unit_forget_bias}: the bias initializer's values for the i gate, ones for the f
   * gate, and the initializer's values for c and o. Only used to build the weight; the layer's
   * config keeps the initializer as given.
   */
  private record ForgetBiasOnes(Initializer given, int units) implements Initializer {
    @Override
    public NDArray initialize(NDManager manager, Shape shape) {
      NDArray input = given.initialize(manager, new Shape(units));
      NDArray ones = manager.ones(new Shape(units));
      NDArray rest = given.initialize(manager, new Shape(2L * units));
      return input.concat(ones).concat(rest);
    }

    @Override
    public String className() {
      return given.className();
    }

    @Override
    public Map<String, Object> getConfig() {
      return given.getConfig();
    }
  }
}

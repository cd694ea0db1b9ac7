package org.qkeras4j.train;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.qkeras4j.engine.Scalars;

/**
 * Keras's Adam: {@code m += (g - m)(1 - beta_1)}, {@code v += (g^2 - v)(1 - beta_2)},
 * {@code w -= m * alpha / (sqrt(v) + epsilon)} with
 * {@code alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)}; AMSGrad uses {@code max} of all
 * {@code v} so far. Defaults: lr 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7.
 */
public final class Adam extends Optimizer {
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final boolean amsgrad;

  /** Keras defaults. */
  public Adam() {
    this(0.001);
  }

  public Adam(double learningRate) {
    this(learningRate, 0.9, 0.999, 1e-7, false);
  }

  public Adam(double learningRate, double beta1, double beta2, double epsilon, boolean amsgrad) {
    super("Adam", learningRate);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.amsgrad = amsgrad;
  }

  public Adam(LearningRateSchedule schedule) {
    this(schedule, 0.9, 0.999, 1e-7, false);
  }

  public Adam(LearningRateSchedule schedule, double beta1, double beta2, double epsilon, boolean amsgrad) {
    super("Adam", schedule);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.amsgrad = amsgrad;
  }

  @Override
  protected List<String> slotNames() {
    return amsgrad ? List.of("m", "v", "vhat") : List.of("m", "v");
  }

  @Override
  protected void update(NDArray variable, NDArray gradient, NDArray[] slots, float lr, long step) {
    float b1 = (float) beta1;
    float b2 = (float) beta2;
    float b1Power = (float) Math.pow(b1, step);
    float b2Power = (float) Math.pow(b2, step);
    float alpha = lr * (float) Math.sqrt(1f - b2Power) / (1f - b1Power);
    NDArray m = slots[0];
    NDArray v = slots[1];
    m.addi(gradient.sub(m).muli(1f - b1));
    v.addi(gradient.square().subi(v).muli(1f - b2));
    NDArray second = v;
    if (amsgrad) {
      replace(slots[2], slots[2].maximum(v));
      second = slots[2];
    }
    variable.subi(Scalars.mul(m, alpha).divi(second.sqrt().addi((float) epsilon)));
  }

  @Override
  protected void addConfig(Map<String, Object> config) {
    config.put("beta_1", beta1);
    config.put("beta_2", beta2);
    config.put("epsilon", epsilon);
    config.put("amsgrad", amsgrad);
  }
}

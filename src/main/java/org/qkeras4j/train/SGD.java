package org.qkeras4j.train;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.qkeras4j.engine.Scalars;

/**
 * Keras's SGD: {@code w -= lr * g}; with momentum {@code m = momentum * m - lr * g},
 * {@code w += m}; Nesterov: {@code w += momentum * m - lr * g}. Defaults: lr 0.01, momentum 0.
 */
public final class SGD extends Optimizer {
  private final double momentum;
  private final boolean nesterov;

  /** Keras defaults. */
  public SGD() {
    this(0.01);
  }

  public SGD(double learningRate) {
    this(learningRate, 0.0, false);
  }

  public SGD(double learningRate, double momentum, boolean nesterov) {
    super("SGD", learningRate);
    this.momentum = checkMomentum(momentum);
    this.nesterov = nesterov;
  }

  public SGD(LearningRateSchedule schedule, double momentum, boolean nesterov) {
    super("SGD", schedule);
    this.momentum = checkMomentum(momentum);
    this.nesterov = nesterov;
  }

  private static double checkMomentum(double momentum) {
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException("`momentum` must be between [0, 1], got " + momentum);
    }
    return momentum;
  }

  @Override
  protected List<String> slotNames() {
    return momentum > 0 ? List.of("m") : List.of();
  }

  @Override
  protected void update(NDArray variable, NDArray gradient, NDArray[] slots, float lr, long step) {
    if (momentum == 0) {
      variable.subi(Scalars.mul(gradient, lr));
      return;
    }
    float mu = (float) momentum;
    NDArray m = slots[0];
    m.muli(mu).subi(Scalars.mul(gradient, lr));
    if (nesterov) {
      variable.addi(Scalars.mul(m, mu).subi(Scalars.mul(gradient, lr)));
    } else {
      variable.addi(m);
    }
  }

  @Override
  protected void addConfig(Map<String, Object> config) {
    config.put("momentum", momentum);
    config.put("nesterov", nesterov);
  }
}

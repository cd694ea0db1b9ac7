package org.qkeras4j.train;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.qkeras4j.engine.Scalars;

/**
 * Keras's RMSprop: {@code velocity = rho * velocity + (1 - rho) g^2}; centered also keeps
 * {@code average_gradient = rho * avg + (1 - rho) g} and uses {@code velocity - avg^2}; the step
 * is {@code lr * g / sqrt(denominator + epsilon)}, through a momentum accumulator if momentum > 0.
 * Defaults: lr 0.001, rho 0.9, momentum 0, epsilon 1e-7, centered false.
 */
public final class RMSprop extends Optimizer {
  private final double rho;
  private final double momentum;
  private final double epsilon;
  private final boolean centered;

  /** Keras defaults. */
  public RMSprop() {
    this(0.001);
  }

  public RMSprop(double learningRate) {
    this(learningRate, 0.9, 0.0, 1e-7, false);
  }

  public RMSprop(double learningRate, double rho, double momentum, double epsilon, boolean centered) {
    super("RMSprop", learningRate);
    this.rho = rho;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.centered = centered;
  }

  public RMSprop(LearningRateSchedule schedule, double rho, double momentum, double epsilon, boolean centered) {
    super("RMSprop", schedule);
    this.rho = rho;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.centered = centered;
  }

  @Override
  protected List<String> slotNames() {
    List<String> names = new ArrayList<>(List.of("velocity"));
    if (momentum > 0) {
      names.add("momentum");
    }
    if (centered) {
      names.add("average_gradient");
    }
    return names;
  }

  @Override
  protected void update(NDArray variable, NDArray gradient, NDArray[] slots, float lr, long step) {
    float r = (float) rho;
    NDArray velocity = slots[0];
    velocity.muli(r).addi(gradient.square().muli(1f - r));
    NDArray denominator;
    if (centered) {
      NDArray avg = slots[momentum > 0 ? 2 : 1];
      avg.muli(r).addi(Scalars.mul(gradient, 1f - r));
      denominator = velocity.sub(avg.square()).addi((float) epsilon);
    } else {
      denominator = velocity.add((float) epsilon);
    }
    NDArray increment = Scalars.mul(gradient, lr).divi(denominator.sqrt());
    if (momentum > 0) {
      NDArray mom = slots[1];
      mom.muli((float) momentum).addi(increment);
      variable.subi(mom);
    } else {
      variable.subi(increment);
    }
  }

  @Override
  protected void addConfig(Map<String, Object> config) {
    config.put("rho", rho);
    config.put("momentum", momentum);
    config.put("epsilon", epsilon);
    config.put("centered", centered);
  }
}

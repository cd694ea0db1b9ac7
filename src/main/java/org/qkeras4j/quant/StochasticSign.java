package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import org.qkeras4j.engine.Scalars;

/**
 * The random sign QKeras's {@code stochastic_binary} and {@code bernoulli} draw in training: +1
 * with probability {@code sigmoid(temperature * x / std)} ({@code std}, the per-channel standard
 * deviation plus epsilon, only with an automatic alpha), else -1. The sigmoid is the logistic
 * function, or with {@code use_real_sigmoid=False} the process-wide {@link InternalSigmoid}.
 */
final class StochasticSign {
  private StochasticSign() {}

  /** The probability of +1 for each element of detached {@code x}. */
  static NDArray probability(NDArray x, double temperature, boolean normalize, boolean useRealSigmoid) {
    NDArray logits = x.mul(Scalars.of(x, temperature));
    if (normalize) {
      logits = logits.div(KerasOps.std(x, KerasOps.channelAxes(x.getShape().dimension())).add(Scalars.of(x, KerasOps.EPSILON)));
    }
    return sigmoid(logits, useRealSigmoid);
  }

  /** The logistic function, or the process-wide internal sigmoid. */
  static NDArray sigmoid(NDArray z, boolean useRealSigmoid) {
    return useRealSigmoid ? InternalSigmoid.REAL.apply(z) : InternalSigmoid.applyCurrent(z);
  }

  /** +1 with probability {@code p}, else -1 ({@code sign(p - u)}, a tie counting as +1). */
  static NDArray draw(NDArray p) {
    return KerasOps.signZeroPositive(p.sub(Rounding.uniform(p)));
  }

  /** {@link #draw} as 1 and 0 instead of +1 and -1 (bernoulli's sample). */
  static NDArray drawZeroOne(NDArray p) {
    return KerasOps.notNegative(p.sub(Rounding.uniform(p)));
  }
}

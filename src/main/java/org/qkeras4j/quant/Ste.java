package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import org.qkeras4j.engine.Scalars;

/**
 * The straight-through estimator, written once: forward value {@code q}, gradient of {@code x}.
 *
 * <p>{@code x + stopGradient(q - x)} equals {@code q} in the forward pass while the gradient
 * flows to {@code x} unchanged, as QKeras writes it ({@code x + tf.stop_gradient(-x + q)}).
 */
public final class Ste {
  private Ste() {}

  /**
   * Forward value {@code q}, identity gradient with respect to {@code x}.
   *
   * <p>Written as {@code stopGradient(q) + (x - stopGradient(x))} rather than QKeras's {@code x +
   * stopGradient(q - x)}: both have the same gradient, but the latter rounds twice and returns 0
   * instead of {@code q} when {@code |x|} dwarfs {@code |q|} (a clipped input of 1e20 quantized
   * to 0.99 loses the 0.99). {@code x - stopGradient(x)} is exactly zero for finite {@code x}.
   */
  public static NDArray through(NDArray x, NDArray q) {
    return q.stopGradient().add(x.sub(x.stopGradient()));
  }

  /**
   * QKeras's quantization-noise mix: {@code x + qnoise * (q - x)}, with the noise term
   * straight-through when {@code useSte} and differentiated as written otherwise.
   *
   * <p>{@code qnoise = 1} is plain quantization, {@code 0} the float path.
   */
  public static NDArray mix(NDArray x, NDArray q, double qnoiseFactor, boolean useSte) {
    // The forward value is computed on detached copies and the gradient added as terms that are
    // exactly zero in the forward pass, so qnoise = 1 returns q itself (see through()).
    NDArray xd = x.stopGradient();
    NDArray qd = q.stopGradient();
    NDArray value = qnoiseFactor == 1.0 ? qd : xd.add(Scalars.mul(qd.sub(xd), qnoiseFactor));
    NDArray dx = x.sub(xd);
    if (useSte) {
      return value.add(dx);
    }
    // d/dx [x + qnoise (q - x)] = (1 - qnoise) + qnoise dq/dx
    // qnoise changes during training (QNoiseScheduler): fresh constants, not cached ones.
    return value.add(Scalars.mul(dx, 1.0 - qnoiseFactor)).add(Scalars.mul(q.sub(qd), qnoiseFactor));
  }

  private static final NDIndex ALL = new NDIndex("...");

  /**
   * Forward value {@code q}, gradient {@code mask} (a gradient-free array of 0s and 1s, or any
   * factors) times the incoming gradient with respect to {@code x}: the straight-through form of
   * a function whose derivative is {@code mask}, such as a clipped ReLU (1 on the linear part, 0
   * elsewhere).
   *
   * <p>One recorded operation: {@code x * mask}, whose backward pass multiplies by {@code mask}
   * and needs neither its input nor its output. Its output's storage is then overwritten with
   * {@code q} through a detached view, which autograd does not record, so the result holds
   * exactly {@code q} (for every input, infinite ones included) and differentiates as {@code x *
   * mask}. Compared with {@code through(u, q)} for {@code u} the clipped function this saves the
   * function's own passes and PyTorch's clamp backward, which on a large activation costs several
   * times a plain pass.
   */
  public static NDArray masked(NDArray x, NDArray q, NDArray mask) {
    NDArray carrier = x.mul(mask);
    NDArray storage = carrier.stopGradient();
    storage.set(ALL, q);
    storage.close();
    return carrier;
  }

  /** Round half to even (as TensorFlow's {@code tf.round}) with identity gradient. */
  public static NDArray round(NDArray x) {
    return through(x, x.round());
  }

  /** Floor with identity gradient. */
  public static NDArray floor(NDArray x) {
    return through(x, x.floor());
  }

  /** Ceil with identity gradient. */
  public static NDArray ceil(NDArray x) {
    return through(x, x.ceil());
  }

  /** Sign (-1, 0, +1) with identity gradient. */
  public static NDArray sign(NDArray x) {
    return through(x, x.sign());
  }
}

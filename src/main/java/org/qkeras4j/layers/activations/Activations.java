package org.qkeras4j.layers.activations;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.qkeras4j.engine.Scalars;
import org.qkeras4j.layers.LayerConfigException;

/**
 * The Keras activation functions by name: {@code linear}, {@code relu}, {@code relu6},
 * {@code sigmoid}, {@code hard_sigmoid}, {@code softmax}, {@code log_softmax}, {@code tanh},
 * {@code elu}, {@code selu}, {@code softplus}, {@code softsign}, {@code swish} / {@code silu},
 * {@code gelu}, {@code exponential}, {@code leaky_relu}, {@code mish}, {@code hard_silu} /
 * {@code hard_swish}, {@code log_sigmoid}, {@code hard_tanh}.
 *
 * <p>{@code hard_sigmoid} is tf.keras 2's {@code clip(0.2 x + 0.5, 0, 1)} (Keras 3 changed it to
 * {@code relu6(x + 3) / 6}); {@code gelu} is the exact erf form; softmax-type functions act on the
 * last axis; {@code leaky_relu} uses Keras 3's slope 0.2.
 */
public final class Activations {
  private static final Map<String, ActivationFunction> BY_NAME = new ConcurrentHashMap<>();

  /** A named, stateless Keras activation. */
  private record Named(String name, UnaryOperator<NDArray> fn) implements ActivationFunction {
    @Override
    public NDArray apply(NDArray x, boolean training) {
      return fn.apply(x);
    }

    @Override
    public Object serialize() {
      return name;
    }

    @Override
    public boolean isLinear() {
      return name.equals("linear");
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  private static final double SELU_SCALE = 1.0507009873554804934193349852946;

  static {
    add("linear", x -> x);
    add("relu", Activation::relu);
    add("relu6", x -> x.clip(0, 6));
    add("sigmoid", Activation::sigmoid);
    add("hard_sigmoid", x -> Scalars.mul(x, 0.2).add(0.5).clip(0, 1));
    add("softmax", x -> x.softmax(-1));
    add("log_softmax", x -> x.logSoftmax(-1));
    add("tanh", Activation::tanh);
    add("elu", Activations::elu);
    add("selu", x -> Scalars.mul(elu(x, SELU_ALPHA), SELU_SCALE));
    add("softplus", Activation::softPlus);
    add("softsign", x -> x.div(x.abs().add(1)));
    add("swish", x -> x.mul(Activation.sigmoid(x)));
    add("silu", x -> x.mul(Activation.sigmoid(x)));
    add("gelu", x -> Scalars.mul(x.mul(Scalars.div(x, Math.sqrt(2.0)).erf().add(1)), 0.5));
    add("exponential", NDArray::exp);
    add("leaky_relu", x -> leaky(x, 0.2));
    add("mish", x -> x.mul(Activation.softPlus(x).tanh()));
    add("hard_silu", x -> x.mul(Scalars.div(x.add(3).clip(0, 6), 6)));
    add("hard_swish", x -> x.mul(Scalars.div(x.add(3).clip(0, 6), 6)));
    add("log_sigmoid", x -> Activation.softPlus(x.neg()).neg());
    add("hard_tanh", x -> x.clip(-1, 1));
  }

  private Activations() {}

  private static void add(String name, UnaryOperator<NDArray> fn) {
    BY_NAME.put(name, new Named(name, fn));
  }

  /** {@code x} for x > 0, {@code alpha (exp(x) - 1)} otherwise, with alpha = 1. */
  static NDArray elu(NDArray x) {
    return elu(x, 1.0);
  }

  /** {@code x} for x > 0, {@code alpha (exp(x) - 1)} otherwise. */
  public static NDArray elu(NDArray x, double alpha) {
    // The negative branch is zero for x > 0; clamping first keeps exp from overflowing there.
    return Scalars.maximum(x, 0).add(Scalars.mul(Scalars.minimum(x, 0).exp().sub(1), alpha));
  }

  /** {@code x} for x >= 0, {@code slope x} otherwise. */
  public static NDArray leaky(NDArray x, double slope) {
    return Scalars.maximum(x, 0).add(Scalars.mul(Scalars.minimum(x, 0), slope));
  }

  /**
   * Keras's {@code activations.get}: null is {@code linear}; a name; an {@link
   * ActivationFunction} as is; Keras 3's {@code {"class_name": "function", "config": name}}.
   */
  public static ActivationFunction get(Object identifier) {
    if (identifier == null) {
      return BY_NAME.get("linear");
    }
    if (identifier instanceof ActivationFunction f) {
      return f;
    }
    if (identifier instanceof String name) {
      ActivationFunction f = BY_NAME.get(name);
      if (f == null) {
        throw new LayerConfigException(
            "unknown activation '" + name + "'; known: " + String.join(", ", new TreeSet<>(BY_NAME.keySet())));
      }
      return f;
    }
    if (identifier instanceof Map<?, ?> map && map.get("config") instanceof String name) {
      return get(name);
    }
    throw new LayerConfigException("cannot make an activation from " + identifier + ": expected a name");
  }

  /** True when {@code name} is a known activation. */
  public static boolean exists(String name) {
    return BY_NAME.containsKey(name);
  }

  /** Every known name. */
  public static java.util.Set<String> names() {
    return new TreeSet<>(BY_NAME.keySet());
  }

  /** Registers a user activation function under a name not yet taken. */
  public static void register(String name, UnaryOperator<NDArray> fn) {
    if (BY_NAME.putIfAbsent(name, new Named(name, fn)) != null) {
      throw new IllegalArgumentException("activation '" + name + "' is already registered");
    }
  }
}

package org.qkeras4j.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Arithmetic with a constant, safe under autograd. Use these instead of DJL's {@code
 * mul(Number)}, {@code div(Number)}, {@code pow(Number)}, {@code maximum(Number)} and {@code
 * minimum(Number)} wherever the result may be differentiated.
 *
 * <p>Why: DJL's PyTorch engine (0.35) turns the number into a tensor that wraps a Java direct
 * buffer without copying it, and closes that tensor as soon as the operation returns. For these
 * five operations PyTorch's autograd keeps the operand until the backward pass; once the garbage
 * collector frees the buffer, the backward pass reads freed memory, and the gradients are wrong
 * (rarely: a NaN, or a silently bad step, depending on when the collector runs). Here the
 * constant is either cached for the life of the process ({@link #of}) or lives in memory PyTorch
 * owns, so autograd's reference keeps it valid. Addition and
 * subtraction keep no operand and are safe with a plain number; in-place updates outside autograd
 * ({@code muli(Number)} on optimizer slots) are safe too. {@code ScalarsTest} checks the fix
 * under garbage collection; {@code NumberOperandGuardTest} keeps the unsafe calls out of the code base.
 */
public final class Scalars {
  /** At most this many cached constants live for the life of the process. */
  static final int MAX_CONSTANTS = 4096;

  private static final Shape SCALAR = new Shape();
  private static final Map<Key, NDArray> CONSTANTS = new ConcurrentHashMap<>();

  private record Key(long bits, Device device) {}

  private Scalars() {}

  /**
   * A configuration constant ({@code 2^bits}, a clip bound, 0.5) as a float64 0-dim array on
   * {@code like}'s device, made once per value and kept for the life of the process, so it is
   * always valid for autograd. It is shared: never close or modify it. Values computed from data
   * belong in {@link #mul} and the other operations instead, which make a fresh constant per call.
   *
   * <p>float64 is what DJL makes for a {@code double}, so {@code x.mul(Scalars.of(x, v))} is the
   * operation {@code x.mul(v)} was (PyTorch computes in {@code x}'s type either way), without the
   * per-call allocation, which on small weight tensors costs more than the arithmetic.
   */
  public static NDArray of(NDArray like, double value) {
    Device device = like.getDevice();
    Key key = new Key(Double.doubleToRawLongBits(value), device);
    NDArray cached = CONSTANTS.get(key);
    if (cached != null) {
      return cached;
    }
    if (CONSTANTS.size() >= MAX_CONSTANTS) {
      // Left to like's manager (and any open scope), which outlives the backward pass.
      return like.getManager().create(value);
    }
    return CONSTANTS.computeIfAbsent(key, k -> {
      NDArray a = Engines.processManager().create(value).toDevice(device, false);
      // A scope open on this thread (a training step's) would otherwise close it with the step.
      NDScope.unregister(a);
      return a;
    });
  }

  /** {@code x * value}. */
  public static NDArray mul(NDArray x, double value) {
    try (NDArray s = fresh(x, value)) {
      return x.mul(s);
    }
  }

  /** {@code x / value}. */
  public static NDArray div(NDArray x, double value) {
    try (NDArray s = fresh(x, value)) {
      return x.div(s);
    }
  }

  /** {@code x ^ exponent}. */
  public static NDArray pow(NDArray x, double exponent) {
    try (NDArray s = fresh(x, exponent)) {
      return x.pow(s);
    }
  }

  /** Elementwise {@code max(x, value)}. */
  public static NDArray maximum(NDArray x, double value) {
    try (NDArray s = fresh(x, value)) {
      return x.maximum(s);
    }
  }

  /** Elementwise {@code min(x, value)}. */
  public static NDArray minimum(NDArray x, double value) {
    try (NDArray s = fresh(x, value)) {
      return x.minimum(s);
    }
  }

  /**
   * A 0-dim array holding {@code value} in {@code like}'s type, in PyTorch-owned memory, so the
   * caller may close it while autograd still refers to it.
   */
  static NDArray fresh(NDArray like, double value) {
    NDManager manager = like.getManager();
    DataType type = like.getDataType();
    if (type == DataType.FLOAT32) {
      // PyTorch rounds a double operand to float for float32 arithmetic, so this is the same value.
      return manager.full(SCALAR, (float) value, type);
    }
    try (NDArray wrapped = manager.create(value)) {
      // The wrapped double still sits in the Java buffer; DJL's toType(FLOAT64, true) returns a
      // view of it, so float64 takes an explicit clone. Other types convert into new memory.
      return type == DataType.FLOAT64 ? wrapped.duplicate() : wrapped.toType(type, false);
    }
  }
}

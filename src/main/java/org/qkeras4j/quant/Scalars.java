package org.qkeras4j.quant;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The constants quantizers compute with ({@code 2^bits}, clip bounds, 0.5), as 0-dim arrays made
 * once per value and device. DJL turns every {@code x.mul(2.0)} into a new 0-dim array (a native
 * allocation and a copy from the JVM) and frees it again; on the small weight tensors of an MLP
 * that costs more than the arithmetic. The arrays are float64, which is what DJL makes for a
 * {@code double}, so {@code x.mul(Scalars.of(x, v))} is the very operation {@code x.mul(v)} was
 * (PyTorch computes it in {@code x}'s type either way).
 *
 * <p>Only constants of a quantizer's configuration belong here, never values computed from data:
 * the cache holds at most {@value #MAX_ENTRIES} arrays for the life of the process and makes new
 * ones uncached beyond that.
 */
final class Scalars {
  static final int MAX_ENTRIES = 4096;

  private record Key(long bits, Device device) {}

  private static final Map<Key, NDArray> CACHE = new ConcurrentHashMap<>();
  private static volatile NDManager owner;

  private Scalars() {}

  /** {@code value} as a float64 0-dim array on {@code like}'s device (owned here: never close it). */
  static NDArray of(NDArray like, double value) {
    Device device = like.getDevice();
    Key key = new Key(Double.doubleToRawLongBits(value), device);
    NDArray cached = CACHE.get(key);
    if (cached != null) {
      return cached;
    }
    if (CACHE.size() >= MAX_ENTRIES) {
      return like.getManager().create(value);
    }
    return CACHE.computeIfAbsent(key, k -> {
      NDArray a = manager().create(value).toDevice(device, false);
      // A scope open on this thread (a training step's) would close it with the step's arrays.
      NDScope.unregister(a);
      return a;
    });
  }

  private static NDManager manager() {
    NDManager m = owner;
    if (m == null) {
      synchronized (Scalars.class) {
        m = owner;
        if (m == null) {
          m = NDManager.newBaseManager();
          owner = m;
        }
      }
    }
    return m;
  }
}

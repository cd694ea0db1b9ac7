package org.qkeras4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.qkeras4j.engine.Scalars;
import org.qkeras4j.layers.Weight;

/**
 * Base of the Keras optimizers: a learning rate (constant or a schedule of the step count),
 * {@code iterations}, optional gradient clipping ({@code clipnorm}, {@code clipvalue},
 * {@code global_clipnorm}) and decoupled {@code weight_decay}, and per-weight slot variables
 * ({@code m}, {@code v}, ...) that subclasses update with Keras's formulas.
 *
 * <p>Weights are updated in place, so layers keep their reference to the same NDArray. Slots live
 * in the optimizer's own sub-manager of the parameters' manager, released by {@link #close()}.
 * Call {@link #apply} outside any gradient collector (the trainer does).
 */
public abstract class Optimizer implements AutoCloseable {
  private final String name;
  private LearningRateSchedule schedule;
  private double learningRate;
  private long iterations;
  private Double clipnorm;
  private Double clipvalue;
  private Double globalClipnorm;
  private Double weightDecay;
  private final Map<Weight, NDArray[]> slots = new IdentityHashMap<>();
  private final List<Weight> order = new ArrayList<>();
  private NDManager manager;
  private Map<String, float[]> pendingState;

  protected Optimizer(String name, double learningRate) {
    this.name = name;
    setLearningRate(learningRate);
  }

  protected Optimizer(String name, LearningRateSchedule schedule) {
    this.name = name;
    this.schedule = java.util.Objects.requireNonNull(schedule, "learning rate schedule");
  }

  /** The Keras name, e.g. {@code Adam}. */
  public String name() {
    return name;
  }

  /** The Keras class name. */
  public String className() {
    return getClass().getSimpleName();
  }

  /** Number of updates applied so far (Keras's {@code optimizer.iterations}). */
  public long iterations() {
    return iterations;
  }

  /** The learning rate the next update uses. */
  public double learningRate() {
    return schedule != null ? schedule.at(iterations) : learningRate;
  }

  /** The schedule, or null for a constant learning rate. */
  public LearningRateSchedule schedule() {
    return schedule;
  }

  /**
   * Sets a constant learning rate (ReduceLROnPlateau does). Like Keras, refuses when the
   * optimizer was built with a schedule.
   */
  public void setLearningRate(double lr) {
    if (schedule != null) {
      throw new IllegalStateException("optimizer " + name + " was created with a LearningRateSchedule ("
          + schedule.className() + ") as its learning_rate; it cannot be set to a constant");
    }
    if (!(lr >= 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("learning_rate must be a finite number >= 0, got " + lr);
    }
    learningRate = lr;
  }

  /** Clips each gradient to this L2 norm (Keras {@code clipnorm}); null for none. */
  public Optimizer optClipnorm(Double value) {
    requirePositive("clipnorm", value);
    checkOneClipping(value, globalClipnorm);
    clipnorm = value;
    return this;
  }

  /** Clips each gradient element to [-value, value] (Keras {@code clipvalue}); null for none. */
  public Optimizer optClipvalue(Double value) {
    requirePositive("clipvalue", value);
    clipvalue = value;
    return this;
  }

  /** Scales all gradients so their joint L2 norm is at most this (Keras {@code global_clipnorm}). */
  public Optimizer optGlobalClipnorm(Double value) {
    requirePositive("global_clipnorm", value);
    checkOneClipping(clipnorm, value);
    globalClipnorm = value;
    return this;
  }

  /** Decoupled weight decay: {@code w -= w * weight_decay * lr} before each update. */
  public Optimizer optWeightDecay(Double value) {
    requirePositive("weight_decay", value);
    weightDecay = value;
    return this;
  }

  private static void requirePositive(String what, Double v) {
    if (v != null && !(v > 0)) {
      throw new IllegalArgumentException(what + " must be positive, got " + v);
    }
  }

  private static void checkOneClipping(Double norm, Double global) {
    if (norm != null && global != null) {
      throw new IllegalArgumentException("Cannot accept both `clipnorm` and `global_clipnorm`, passed `clipnorm`="
          + norm + ", `global_clipnorm`=" + global);
    }
  }

  /** The names of the slot variables one weight gets, e.g. {@code m, v}. */
  protected abstract List<String> slotNames();

  /**
   * Applies one update to {@code variable} in place; {@code slots} follow {@link #slotNames()};
   * {@code step} is {@code iterations + 1} (Keras's {@code local_step}).
   */
  protected abstract void update(NDArray variable, NDArray gradient, NDArray[] slots, float lr, long step);

  /** Subclass hyper-parameters for {@link #getConfig()}. */
  protected abstract void addConfig(Map<String, Object> config);

  /** Creates slots for weights not seen yet (zero-filled, or from imported state). */
  public void build(List<Weight> weights) {
    for (Weight w : weights) {
      if (slots.containsKey(w)) {
        continue;
      }
      NDArray value = w.value();
      if (manager == null) {
        manager = value.getManager().newSubManager();
        manager.setName("optimizer-" + name);
      }
      List<String> names = slotNames();
      NDArray[] arrays = new NDArray[names.size()];
      for (int i = 0; i < arrays.length; i++) {
        arrays[i] = manager.zeros(value.getShape(), value.getDataType(), value.getDevice());
        // Slots outlive any step scope the caller may have open.
        NDScope.unregister(arrays[i]);
      }
      slots.put(w, arrays);
      order.add(w);
    }
    if (pendingState != null) {
      Map<String, float[]> state = pendingState;
      pendingState = null;
      importSlots(state);
    }
  }

  /**
   * One optimizer step: clips the gradients, applies weight decay and the update to every
   * weight, then counts the iteration. Temporaries belong to the caller's scope.
   */
  public void apply(List<Weight> weights, List<NDArray> gradients) {
    if (weights.size() != gradients.size()) {
      throw new IllegalArgumentException(weights.size() + " weights but " + gradients.size() + " gradients");
    }
    build(weights);
    float lr = (float) learningRate();
    List<NDArray> grads = clip(gradients);
    for (int i = 0; i < weights.size(); i++) {
      Weight w = weights.get(i);
      // A detached view shares the weight's storage: updating it in place changes the weight
      // without autograd objecting to in-place writes on a leaf, whatever the grad mode.
      NDArray var = w.value().stopGradient();
      if (weightDecay != null) {
        var.subi(Scalars.mul(var, (float) (weightDecay * lr)));
      }
      update(var, grads.get(i), slots.get(w), lr, iterations + 1);
      var.close();
    }
    iterations++;
  }

  private List<NDArray> clip(List<NDArray> grads) {
    List<NDArray> out = new ArrayList<>(grads);
    if (clipnorm != null) {
      for (int i = 0; i < out.size(); i++) {
        out.set(i, clipByNorm(out.get(i), clipnorm.floatValue()));
      }
    }
    if (globalClipnorm != null) {
      NDArray sumSq = null;
      for (NDArray g : out) {
        NDArray s = g.square().sum();
        sumSq = sumSq == null ? s : sumSq.add(s);
      }
      if (sumSq != null) {
        float norm = (float) Math.sqrt(sumSq.getFloat());
        float c = globalClipnorm.floatValue();
        if (norm > c) {
          // tf.clip_by_global_norm: g * clip / max(global_norm, clip)
          float factor = c / norm;
          out.replaceAll(g -> Scalars.mul(g, factor));
        }
      }
    }
    if (clipvalue != null) {
      float c = clipvalue.floatValue();
      out.replaceAll(g -> g.clip(-c, c));
    }
    return out;
  }

  /** tf.clip_by_norm: {@code g * clip / max(||g||, clip)}. */
  private static NDArray clipByNorm(NDArray g, float clip) {
    float norm = (float) Math.sqrt(g.square().sum().getFloat());
    return norm > clip ? Scalars.div(Scalars.mul(g, clip), norm) : g;
  }

  /** Replaces a slot's content in place (the Java object stays), e.g. for {@code max}. */
  protected static void replace(NDArray slot, NDArray newValue) {
    NDScope.unregister(newValue);
    slot.intern(newValue);
  }

  /**
   * The optimizer's state for a checkpoint: {@code iterations}, the constant
   * {@code learning_rate}, and each slot as {@code <index>/<weight name>/<slot>}, the index
   * being the weight's position in the model's trainable weights.
   */
  public Map<String, float[]> exportState() {
    Map<String, float[]> state = new LinkedHashMap<>();
    // Two exact float integers (high and low 24 bits), so counts up to 2^48 survive a float[].
    state.put("iterations", new float[] {iterations >>> 24, iterations & 0xffffff});
    if (schedule == null) {
      state.put("learning_rate", new float[] {(float) learningRate});
    }
    List<String> names = slotNames();
    for (int i = 0; i < order.size(); i++) {
      NDArray[] arrays = slots.get(order.get(i));
      for (int s = 0; s < names.size(); s++) {
        state.put(slotKey(i, order.get(i), names.get(s)), arrays[s].toFloatArray());
      }
    }
    return state;
  }

  /**
   * Restores {@link #exportState()} output. The iteration count and learning rate are restored
   * now (so a later {@link #setLearningRate} wins); slots of weights already built are overwritten
   * now, and if none is built yet they wait for {@link #build}. Keys or sizes that do not match
   * fail, naming the key.
   */
  public void importState(Map<String, float[]> state) {
    float[] it = state.get("iterations");
    if (it == null || it.length != 2) {
      throw new IllegalArgumentException("optimizer state has no valid 'iterations' entry");
    }
    if (order.isEmpty()) {
      pendingState = new TreeMap<>(state);
    } else {
      importSlots(state);
    }
    iterations = decodeIterations(it);
    restoreLearningRate(state);
  }

  private void importSlots(Map<String, float[]> state) {
    List<String> names = slotNames();
    for (int i = 0; i < order.size(); i++) {
      NDArray[] arrays = slots.get(order.get(i));
      for (int s = 0; s < names.size(); s++) {
        String key = slotKey(i, order.get(i), names.get(s));
        float[] values = state.get(key);
        if (values == null) {
          throw new IllegalArgumentException("optimizer state has no entry '" + key + "'");
        }
        if (values.length != arrays[s].size()) {
          throw new IllegalArgumentException("optimizer state '" + key + "' has " + values.length
              + " values, the weight has " + arrays[s].size());
        }
        arrays[s].set(FloatBuffer.wrap(values));
      }
    }
  }

  private static long decodeIterations(float[] it) {
    return ((long) it[0] << 24) + (long) it[1];
  }

  private void restoreLearningRate(Map<String, float[]> state) {
    float[] lr = state.get("learning_rate");
    if (lr != null && schedule == null) {
      learningRate = lr[0];
    }
  }

  private static String slotKey(int index, Weight w, String slot) {
    return index + "/" + w.name() + "/" + slot;
  }

  /** Keras {@code get_config()}: name, clipping, learning rate (or its schedule), hyper-parameters. */
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name);
    c.put("weight_decay", weightDecay);
    c.put("clipnorm", clipnorm);
    c.put("global_clipnorm", globalClipnorm);
    c.put("clipvalue", clipvalue);
    if (schedule != null) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("class_name", schedule.className());
      s.put("config", schedule.getConfig());
      c.put("learning_rate", s);
    } else {
      c.put("learning_rate", learningRate);
    }
    addConfig(c);
    return c;
  }

  /** The slot arrays of {@code w} (for tests and tools), in {@link #slotNames()} order. */
  public NDList slotsOf(Weight w) {
    NDArray[] a = slots.get(w);
    return a == null ? new NDList() : new NDList(a);
  }

  /** Releases the slot variables. */
  @Override
  public void close() {
    if (manager != null) {
      manager.close();
      manager = null;
    }
    slots.clear();
    order.clear();
  }

  @Override
  public String toString() {
    return className() + getConfig();
  }
}

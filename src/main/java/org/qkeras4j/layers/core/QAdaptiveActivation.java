package org.qkeras4j.layers.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.Layer;
import org.qkeras4j.layers.LayerBuilder;
import org.qkeras4j.layers.Weight;
import org.qkeras4j.layers.initializers.Initializer;
import org.qkeras4j.layers.initializers.Initializers;
import org.qkeras4j.engine.Reductions;
import org.qkeras4j.layers.quantized.QuantizedLayer;
import org.qkeras4j.layers.quantized.QuantizerSlot;
import org.qkeras4j.layers.quantized.QuantizerSlots;
import org.qkeras4j.quant.Quantizer;
import org.qkeras4j.quant.Quantizers;

/**
 * QKeras's experimental {@code QAdaptiveActivation(activation, total_bits, ...)}: a
 * {@code quantized_bits} or {@code quantized_relu} activation of {@code total_bits} bits whose
 * integer bits follow exponential moving averages of the activation's minimum and maximum.
 *
 * <p>As in QKeras: each training call counts a step (from {@code current_step}, or from -1 when
 * none is given, in which case the layer counts its own steps; a given step stays fixed, as
 * QKeras's disconnected variable does); before {@code quantization_delay} steps the output is the
 * float activation ({@code qnoise_factor} 0), afterwards and at inference it is quantized with the
 * integer bits of the moving averages as they were before the call. In training (until
 * {@code ema_freeze_delay} steps, if given) the averages then move toward the minimum and maximum
 * of the float activation, {@code ema -= (ema - new) * (1 - ema_decay)}, per channel with
 * {@code per_channel}, and the integer bits are recomputed with QKeras's {@code _get_integer_bits}
 * (nearest power of two with {@code po2_rounding}, else the next one up). {@code alpha} is 1 and
 * {@code symmetric} as given; for {@code quantized_relu}, {@code relu_neg_slope} and
 * {@code relu_upper_bound} shape the float activation.
 *
 * <p>The moving averages are the non-trainable weights {@code ema_min} and {@code ema_max}
 * (shape {@code [channels]}, 1 without {@code per_channel}, zeros at first), QKeras's variables of
 * those names, so saving, loading and Keras export carry them and the summary counts them as
 * non-trainable parameters. The integer bits are derived from them at each call, as QKeras
 * assigns its {@code quantizer_integer_bits} from them after each update; the step count is the
 * config's {@code current_step}. A file without these two arrays (written before they were
 * weights) loads with zero averages. Per-channel integer bits use the identity {@code q_I(x) =
 * 2^I q_0(x / 2^I)}, exact for these quantizers, and are not supported together with
 * {@code relu_upper_bound}.
 */
public class QAdaptiveActivation extends Layer implements QuantizedLayer {
  private static final List<String> SUPPORTED = List.of("quantized_bits", "quantized_relu");

  private final String activation;
  private final int totalBits;
  private final boolean estimatingStep;
  private final boolean symmetric;
  private final long quantizationDelay;
  private final Long emaFreezeDelay;
  private final double emaDecay;
  private final boolean perChannel;
  private final boolean po2Rounding;
  private final double reluNegSlope;
  private final Double reluUpperBound;
  private final boolean keepNegative;
  private final QuantizerSlots slots = new QuantizerSlots();
  private final QuantizerSlot slot;
  private final Map<String, Quantizer> quantizers = new HashMap<>();
  private long step;
  private Weight emaMin;
  private Weight emaMax;
  private int[] integerBits;

  public QAdaptiveActivation(KerasConfig config) {
    super(config);
    this.activation = config.getString("activation", null);
    if (activation == null || !SUPPORTED.contains(activation)) {
      throw config.error("activation", "must be 'quantized_bits' or 'quantized_relu' without arguments (the"
          + " layer sets them)");
    }
    this.totalBits = config.getPositiveInt("total_bits", null);
    Integer current = config.getIntOrNull("current_step");
    this.estimatingStep = current == null;
    this.step = current == null ? -1 : current;
    this.symmetric = config.getBoolean("symmetric", true);
    this.quantizationDelay = config.getInt("quantization_delay", 0);
    Integer freeze = config.getIntOrNull("ema_freeze_delay");
    this.emaFreezeDelay = freeze == null || freeze == 0 ? null : (long) freeze;
    this.emaDecay = config.getDouble("ema_decay", 0.9999);
    this.perChannel = config.getBoolean("per_channel", false);
    this.po2Rounding = config.getBoolean("po2_rounding", false);
    this.reluNegSlope = config.getDouble("relu_neg_slope", 0.0);
    this.reluUpperBound = config.getDoubleOrNull("relu_upper_bound");
    boolean relu = activation.equals("quantized_relu");
    this.keepNegative = !relu || reluNegSlope != 0.0;
    if (perChannel && relu && reluUpperBound != null) {
      throw config.error("relu_upper_bound", "is not supported together with per_channel=True");
    }
    this.slot = slots.add("activation", null, true, quantizer(0, 1.0));
  }

  /** The quantizer with {@code integer} integer bits and the given qnoise factor. */
  private Quantizer quantizer(int integer, double qnoise) {
    return quantizers.computeIfAbsent(integer + "/" + qnoise, k -> {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("bits", totalBits);
      c.put("integer", integer);
      if (activation.equals("quantized_bits")) {
        c.put("symmetric", symmetric);
        c.put("keep_negative", true);
        c.put("alpha", 1.0);
      } else {
        c.put("negative_slope", reluNegSlope);
        c.put("relu_upper_bound", reluUpperBound);
        c.put("is_quantized_clip", false);
      }
      c.put("qnoise_factor", qnoise);
      return Quantizers.fromConfig(Map.of("class_name", activation, "config", c));
    });
  }

  @Override
  public Shape[] outputShapes(Shape[] inputShapes) {
    Shape in = singleInput(inputShapes);
    if (perChannel) {
      requireKnown(in, in.dimension() - 1, "channel (last)");
    }
    return new Shape[] {in};
  }

  @Override
  protected void buildWeights(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    int channels = perChannel ? (int) in.get(in.dimension() - 1) : 1;
    Initializer zeros = Initializers.get("zeros");
    emaMin = addWeight("ema_min", new Shape(channels), zeros, null, null, false);
    emaMax = addWeight("ema_max", new Shape(channels), zeros, null, null, false);
    integerBits = integerBits(emaMin.value().toFloatArray(), emaMax.value().toFloatArray());
  }

  @Override
  public boolean loadsWithoutWeights() {
    return true;
  }

  @Override
  protected NDList call(NDList inputs, boolean training) {
    NDArray x = inputs.singletonOrThrow();
    boolean train = training && trainable();
    if (estimatingStep && train) {
      step++;
    }
    double qnoise = train && step < quantizationDelay ? 0.0 : 1.0;
    // The bits of the averages as they stand (loaded, or left by the previous call).
    integerBits = integerBits(emaMin.value().toFloatArray(), emaMax.value().toFloatArray());
    NDArray out = quantize(x, qnoise, train);
    boolean updateEma = train && (emaFreezeDelay == null || step <= emaFreezeDelay);
    if (updateEma) {
      updateMovingAverages(x);
    }
    return new NDList(out);
  }

  private NDArray quantize(NDArray x, double qnoise, boolean training) {
    if (!perChannel) {
      Quantizer q = quantizer(integerBits[0], qnoise);
      slot.set(quantizer(integerBits[0], 1.0));
      return q.apply(x, training);
    }
    float[] scales = new float[integerBits.length];
    for (int i = 0; i < scales.length; i++) {
      scales[i] = (float) Math.scalb(1.0, integerBits[i]);
    }
    NDArray s = x.getManager().create(scales);
    return quantizer(0, qnoise).apply(x.div(s), training).mul(s);
  }

  /** Moves the averages toward the float activation's extremes and recomputes the integer bits. */
  private void updateMovingAverages(NDArray x) {
    NDArray act = quantizer(0, 0.0).apply(x.stopGradient(), false);
    int rank = act.getShape().dimension();
    int[] axes = new int[perChannel ? rank - 1 : rank];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i;
    }
    float[] min = Reductions.min(act, axes, false).toType(DataType.FLOAT32, false).toFloatArray();
    float[] max = Reductions.max(act, axes, false).toType(DataType.FLOAT32, false).toFloatArray();
    float[] mins = emaMin.value().toFloatArray();
    float[] maxs = emaMax.value().toFloatArray();
    float keep = (float) (1.0 - emaDecay);
    for (int i = 0; i < mins.length; i++) {
      mins[i] -= (mins[i] - min[i]) * keep;
      maxs[i] -= (maxs[i] - max[i]) * keep;
    }
    emaMin.value().set(FloatBuffer.wrap(mins));
    emaMax.value().set(FloatBuffer.wrap(maxs));
    integerBits = integerBits(mins, maxs);
  }

  /** QKeras's {@code _get_integer_bits} for these averages. */
  private int[] integerBits(float[] mins, float[] maxs) {
    int[] out = new int[mins.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = integerBits(mins[i], maxs[i], totalBits, symmetric, keepNegative, po2Rounding);
    }
    return out;
  }

  /**
   * QKeras's {@code _get_integer_bits(min, max, bits, symmetric, keep_negative, is_clipping)}: the
   * bits left of the binary point so that the range covers {@code [min, max]} (with clipping, the
   * nearest power of two), at most the unsigned bits.
   */
  static int integerBits(double min, double max, int bits, boolean symmetric, boolean keepNegative,
      boolean isClipping) {
    if (!keepNegative) {
      min = Math.max(min, 0);
      max = Math.max(max, 0);
    }
    int unsigned = bits - (keepNegative ? 1 : 0);
    double minLog2 = Math.log(Math.abs(min)) / Math.log(2.0);
    double maxLog2 = Math.log(Math.abs(max)) / Math.log(2.0);
    double minInt;
    double maxInt;
    if (isClipping) {
      minInt = Math.rint(minLog2 > 0 ? minLog2 : 0);
      maxInt = Math.rint(maxLog2 > 0 ? maxLog2 : 0);
    } else {
      minInt = Math.ceil(minLog2 > 0 ? minLog2 : 0);
      maxInt = Math.ceil(maxLog2 > 0 ? maxLog2 : 0);
      double maxPo2 = Math.pow(2, maxInt) - Math.pow(2, Math.min(maxInt - unsigned, 0));
      if (!(max <= maxPo2)) {
        maxInt += 1;
      }
      if (symmetric) {
        double minPo2 = -Math.pow(2, minInt) + Math.pow(2, Math.min(minInt - unsigned, 0));
        if (!(minPo2 <= min)) {
          minInt += 1;
        }
      }
    }
    return (int) Math.min(unsigned, Math.max(minInt, maxInt));
  }

  /** The training step the layer is at. */
  public long step() {
    return step;
  }

  /** The current integer bits (one per channel with {@code per_channel}). */
  public int[] integerBitsNow() {
    return integerBits == null ? null : integerBits.clone();
  }

  /** The moving averages of the minimum and maximum, {@code [min..., max...]}. */
  public float[][] movingAverages() {
    return emaMin == null ? null : new float[][] {emaMin.value().toFloatArray(), emaMax.value().toFloatArray()};
  }

  @Override
  public QuantizerSlots quantizerSlots() {
    return slots;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("activation", activation);
    c.put("total_bits", totalBits);
    c.put("current_step", step);
    c.put("symmetric", symmetric);
    c.put("quantization_delay", quantizationDelay);
    c.put("ema_freeze_delay", emaFreezeDelay);
    c.put("ema_decay", emaDecay);
    c.put("per_channel", perChannel);
    c.put("po2_rounding", po2Rounding);
    c.put("relu_neg_slope", reluNegSlope);
    c.put("relu_upper_bound", reluUpperBound);
    return c;
  }

  /** Builds a {@link QAdaptiveActivation}. */
  public static final class Builder extends LayerBuilder<Builder> {
    @Override
    protected Builder self() {
      return this;
    }

    /** {@code quantized_bits} or {@code quantized_relu}. */
    public Builder activation(String activation) {
      return set("activation", activation);
    }

    public Builder totalBits(int bits) {
      return set("total_bits", bits);
    }

    public Builder quantizationDelay(int steps) {
      return set("quantization_delay", steps);
    }

    public Builder emaFreezeDelay(int steps) {
      return set("ema_freeze_delay", steps);
    }

    public Builder emaDecay(double decay) {
      return set("ema_decay", decay);
    }

    public Builder perChannel(boolean perChannel) {
      return set("per_channel", perChannel);
    }

    public Builder symmetric(boolean symmetric) {
      return set("symmetric", symmetric);
    }

    public Builder po2Rounding(boolean po2Rounding) {
      return set("po2_rounding", po2Rounding);
    }

    public Builder reluNegSlope(double slope) {
      return set("relu_neg_slope", slope);
    }

    public Builder reluUpperBound(double bound) {
      return set("relu_upper_bound", bound);
    }

    public QAdaptiveActivation build() {
      return make("QAdaptiveActivation", QAdaptiveActivation::new);
    }
  }
}

package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.qkeras4j.engine.Reductions;
import org.qkeras4j.engine.Scalars;

/**
 * QKeras-Mod's {@code quantized_bits_featuremap}: affine (scale and zero point) quantization of a
 * feature map, as TensorFlow Lite does it, for integer-only inference. Only {@code alpha='auto'}
 * is supported, which makes it symmetric, as {@code quantized_bits} does.
 *
 * <p>Per group (one per sample with {@code scale_axis=0} on a batch, one per last-axis channel
 * by default), with {@code αq = -(2^(bits-1) - 1)}, {@code βq = 2^(bits-1) - 1}, and {@code α},
 * {@code β} the minimum and maximum of the input:
 *
 * <pre>
 *   s  = 2 max|x| / (βq - αq)
 *   zp = round((β αq - α βq) / (β - α))              (0 when β = α)
 *   xq = clip(round(x / s + zp - 0.00001526), αq, βq) (x / s = 0 when s = 0)
 *   y  = s (xq - zp)
 * </pre>
 *
 * rounding half away from zero. Inputs with {@code |x| < 1e-7} (Keras's epsilon) count as exact zeros (and get no
 * gradient, as upstream's {@code tf.where} gives none); the constant {@code 0.00001526} is
 * QKeras-Mod's correction to match Keras's results. The gradient is the straight-through
 * identity, or {@code 1 - qnoise_factor} with {@code use_ste=False}.
 *
 * <p>After a call, {@link #lastScale()}, {@link #lastZeroPoint()}, {@link #lastMin()} and {@link
 * #lastMax()} hold each group's {@code s}, {@code zp}, {@code α} and {@code β}; {@link
 * #integerSpec()} is the affine map of the last call when it had one group, and {@link
 * #calibratedSpec(double, double)} the notebook's calibration formula.
 */
public final class QuantizedBitsFeaturemap extends AbstractQuantizer {
  /** The QKeras-Mod name. */
  public static final String NAME = "quantized_bits_featuremap";

  /** QKeras-Mod's constructor (that of the {@code quantized_bits} it was copied from). */
  static final Signature SIGNATURE = Signature.builder()
      .param("bits", 8L)
      .param("integer", 0L)
      .param("symmetric", 0L)
      .param("keep_negative", true)
      .param("alpha", null)
      .param("use_stochastic_rounding", false)
      .param("scale_axis", null)
      .param("qnoise_factor", 1.0)
      .param("var_name", null)
      .param("use_ste", true)
      .param("use_variables", false);

  /** QKeras-Mod subtracts this before rounding "due to mismatch with keras". */
  private static final double ROUNDING_CORRECTION = 0.00001526;

  private final FixedPointSettings settings;

  private volatile double[] lastZeroPoint;
  private volatile double[] lastMin;
  private volatile double[] lastMax;

  QuantizedBitsFeaturemap(Arguments args) {
    if (!Alpha.AUTO.equals(args.get("alpha"))) {
      throw args.error("alpha", "must be 'auto' (the only mode " + NAME + " implements), got " + Arguments.repr(args.get("alpha")));
    }
    // Two bits at least: one bit leaves no level besides zero (βq - αq = 0). alpha='auto' makes
    // it symmetric, as in quantized_bits.
    settings = FixedPointSettings.read(args, SIGNATURE, 2).symmetricForced();
  }

  static void register() {
    QuantizerRegistry.builtin(NAME, SIGNATURE, QuantizedBitsFeaturemap::new, "QuantizedBitsFeaturemap");
  }

  /** Builds from a QKeras-style argument map, e.g. {@code Map.of("bits", 8, "alpha", "auto")}. */
  public static QuantizedBitsFeaturemap of(Map<String, ?> config) {
    return new QuantizedBitsFeaturemap(SIGNATURE.bind(NAME, config));
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The smallest code, {@code -(2^(bits-1) - 1)} (QKeras-Mod's {@code alphaq}). */
  public long minCode() {
    return -maxCode();
  }

  /** The largest code, {@code 2^(bits-1) - 1} (QKeras-Mod's {@code betaq}). */
  public long maxCode() {
    return (1L << (settings.bits() - 1)) - 1;
  }

  @Override
  public NDArray apply(NDArray input, boolean training) {
    return WorkPrecision.compute(input, settings.bits(), x -> {
      Shape shape = x.getShape();
      NDArray in = shape.dimension() == 0 ? x.stopGradient().reshape(1) : x.stopGradient();
      NDArray keep = in.abs().gte(KerasOps.EPSILON).toType(in.getDataType(), false);
      NDArray q = quantize(in.mul(keep)).reshape(shape);
      // Upstream zeroes tiny inputs with tf.where before anything else: no gradient reaches them.
      return Ste.mix(x.mul(keep.reshape(shape)), q, settings.qnoiseFactor(), settings.useSte());
    });
  }

  private NDArray quantize(NDArray x) {
    int rank = x.getShape().dimension();
    int[] axes = AutoScale.maxAxes(rank, settings.scaleAxis(), NAME);
    double alphaq = minCode();
    double betaq = maxCode();
    // 2 max|x| / (βq - αq), written max|x| / βq (βq = -αq): the same quotient without overflow.
    NDArray scale = Reductions.max(x.abs(), axes, true).div(Scalars.of(x, betaq));
    NDArray lo = Reductions.min(x, axes, true);
    NDArray hi = Reductions.max(x, axes, true);
    // In float64: with float32 ranges near its limit, β αq - α βq and β - α overflow (inf - inf).
    NDArray hi64 = hi.toType(DataType.FLOAT64, false);
    NDArray lo64 = lo.toType(DataType.FLOAT64, false);
    NDArray zeroPoint = halfAwayFromZero(divideNoNan(hi64.mul(Scalars.of(hi64, alphaq)).sub(lo64.mul(Scalars.of(lo64, betaq))), hi64.sub(lo64)))
        .toType(x.getDataType(), false);
    NDArray u = divideNoNan(x, scale).add(zeroPoint).sub(ROUNDING_CORRECTION);
    NDArray codes = halfAwayFromZero(u).clip(alphaq, betaq);
    recordScale(scale);
    double[] zp = doubles(zeroPoint);
    for (int i = 0; i < zp.length; i++) {
      zp[i] += 0.0; // ceil(-0.5) is -0.0; the zero point is an integer, report it as 0
    }
    lastZeroPoint = zp;
    lastMin = doubles(lo);
    lastMax = doubles(hi);
    return codes.sub(zeroPoint).mul(scale);
  }

  private static double[] doubles(NDArray a) {
    return a.toType(DataType.FLOAT64, false).toDoubleArray();
  }

  /** Round half away from zero: {@code floor(x + 0.5)} above zero, {@code ceil(x - 0.5)} otherwise. */
  private static NDArray halfAwayFromZero(NDArray x) {
    return NDArrays.where(x.gt(0), x.add(0.5).floor(), x.sub(0.5).ceil());
  }

  /** {@code a / b}, and 0 where {@code b} is 0 ({@code tf.math.divide_no_nan}). */
  private static NDArray divideNoNan(NDArray a, NDArray b) {
    NDArray zero = b.eq(0);
    NDArray quotient = a.div(NDArrays.where(zero, b.onesLike(), b));
    // DJL's where() does not broadcast: bring the mask to the quotient's shape first.
    return NDArrays.where(zero.broadcast(quotient.getShape()), quotient.zerosLike(), quotient);
  }

  /** Each group's zero point {@code zp} from the last call (QKeras-Mod's {@code zeropoint}). */
  public Optional<double[]> lastZeroPoint() {
    double[] z = lastZeroPoint;
    return z == null ? Optional.empty() : Optional.of(z.clone());
  }

  /** Each group's minimum input {@code α} from the last call (QKeras-Mod's {@code alpha_f}). */
  public Optional<double[]> lastMin() {
    double[] v = lastMin;
    return v == null ? Optional.empty() : Optional.of(v.clone());
  }

  /** Each group's maximum input {@code β} from the last call (QKeras-Mod's {@code beta_f}). */
  public Optional<double[]> lastMax() {
    double[] v = lastMax;
    return v == null ? Optional.empty() : Optional.of(v.clone());
  }

  /**
   * The affine map of the last call, {@code value = s (code - zp)} with codes in {@code [αq,
   * βq]}: present after a call on a single group (a per-tensor scale, e.g. {@code scale_axis=0}
   * on a batch of one) with a non-zero scale.
   */
  @Override
  public Optional<IntegerSpec> integerSpec() {
    Optional<double[]> s = lastScale();
    double[] z = lastZeroPoint;
    if (s.isEmpty() || z == null || s.get().length != 1 || !(s.get()[0] > 0)) {
      return Optional.empty();
    }
    return Optional.of(new IntegerSpec(settings.bits(), true, s.get()[0], (long) z[0], minCode(), maxCode()));
  }

  /**
   * The notebook's calibration (chapter 3): from the range {@code [α, β]} observed over the
   * calibration samples, {@code scale = (β - α) / (βq - αq)} and {@code zero point = round((β αq
   * - α βq) / (β - α))} (numpy's {@code around}: half to even).
   *
   * @throws IllegalArgumentException when {@code β <= α} (the notebook would write 0 for both)
   */
  public IntegerSpec calibratedSpec(double observedMin, double observedMax) {
    if (!(observedMax > observedMin)) {
      throw new IllegalArgumentException(
          NAME + ": calibration range [" + observedMin + ", " + observedMax + "] is empty; need min < max");
    }
    double alphaq = minCode();
    double betaq = maxCode();
    double scale = (observedMax - observedMin) / (betaq - alphaq);
    double zeroPoint = Math.rint((observedMax * alphaq - observedMin * betaq) / (observedMax - observedMin));
    return new IntegerSpec(settings.bits(), true, scale, (long) zeroPoint, minCode(), maxCode());
  }

  @Override
  public int bits() {
    return settings.bits();
  }

  @Override
  public int integerBits() {
    return settings.integer();
  }

  @Override
  public boolean signed() {
    return true;
  }

  /** {@code max(1, 2^integer)}, as the {@code quantized_bits} code QKeras-Mod copied reports it. */
  @Override
  public double max() {
    return Math.max(1.0, QuantizedBits.pow2(settings.integer()));
  }

  /** {@code -max(1, 2^integer)}, 0 without keep_negative (as {@code quantized_bits}). */
  @Override
  public double min() {
    return settings.keepNegative() ? -max() : 0.0;
  }

  /**
   * Affine, per channel (or {@code scale_axis} entry): the largest code reaching {@code max|x|},
   * and a zero point from the minimum and maximum.
   */
  @Override
  public String scaleDescription() {
    return "affine, " + AutoScale.Grouping.along(settings.scaleAxis()).describe()
        + ": the largest code reaching max|x|, zero point from min(x) and max(x) (alpha='auto')";
  }

  /**
   * The {@code get_config} keys QKeras-Mod inherits from {@code quantized_bits} (bits, integer,
   * symmetric, alpha, keep_negative, use_stochastic_rounding, qnoise_factor), then any other
   * argument that differs from its default ({@code scale_axis=0}, which upstream drops).
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    settings.putConfig(c);
    QKerasText.putOmitted(c, settings.omittedFromConfig(SIGNATURE));
    return c;
  }

  /**
   * {@code quantized_bits_featuremap(bits,integer,1[,keep_negative=False],alpha='auto'
   * [,use_stochastic_rounding=1])} then any other non-default argument, e.g. {@code
   * quantized_bits_featuremap(8,8,1,alpha='auto',scale_axis=0)}. (Upstream prints the name
   * {@code quantized_bits}, which would not parse back to this quantizer.)
   */
  @Override
  public String toString() {
    return settings.text(NAME).omitted(settings.omittedFromText(SIGNATURE)).toString();
  }
}

package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.qkeras4j.engine.Reductions;
import org.qkeras4j.engine.Scalars;

/**
 * QKeras's {@code quantized_linear}, the successor of {@code quantized_bits}: divide by a
 * quantization scale, clip to the integer range, round, multiply back.
 *
 * <p>The data type scale is {@code 2^(integer - bits + keep_negative)}; the quantization scale is
 * that times {@code alpha} (a number or one per last-axis channel), or, for {@code alpha='auto'},
 * the smallest per-channel scale that does not clip {@code max|x|} ({@code max(x)} without
 * keep_negative), rounded to a power of two and refined by least squares (up to five rounds,
 * stopping when it no longer changes) for {@code 'auto_po2'}. The clip range is {@code
 * [keep_negative (symmetric - 2^(bits-k)), 2^(bits-k) - 1]}; one signed bit is a scaled sign
 * ({@code ±0.5} of the scale). Rank-1 inputs get one scale per element, as upstream.
 *
 * <p>The result is {@code x + qnoise_factor (xq - x)}; its gradient is 1 inside the clip range
 * and {@code 1 - qnoise_factor} outside (the rounding is straight-through, the clip is not).
 * {@link #lastScale()} is QKeras's {@code q.scale}: the quantization scale over the data type
 * scale. Values are computed in the input's type while {@code bits} fit its mantissa, in float64
 * beyond (see {@link WorkPrecision}).
 */
public final class QuantizedLinear extends AbstractQuantizer {
  /** The QKeras name. */
  public static final String NAME = "quantized_linear";

  /** QKeras's constructor, in positional order with its defaults. */
  static final Signature SIGNATURE = Signature.builder()
      .param("bits", 8L)
      .param("integer", 0L)
      .param("symmetric", 1L)
      .param("keep_negative", true)
      .param("alpha", null)
      .param("use_stochastic_rounding", false)
      .param("scale_axis", null)
      .param("qnoise_factor", 1.0)
      .param("var_name", null)
      .param("use_variables", false);

  private final FixedPointSettings settings;

  QuantizedLinear(Arguments args) {
    settings = FixedPointSettings.read(args, SIGNATURE, 1);
  }

  static void register() {
    QuantizerRegistry.builtin(NAME, SIGNATURE, QuantizedLinear::new, "QuantizedLinear");
  }

  /** Builds from a QKeras-style argument map, e.g. {@code Map.of("bits", 4, "alpha", "auto")}. */
  public static QuantizedLinear of(Map<String, ?> config) {
    return new QuantizedLinear(SIGNATURE.bind(NAME, config));
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Whether one signed bit makes this a scaled sign function. */
  private boolean usesSignFunction() {
    return settings.bits() == 1 && settings.keepNegative();
  }

  /** QKeras's {@code data_type_scale}: {@code 2^(integer - bits + keep_negative)}. */
  public double dataTypeScale() {
    return QuantizedBits.pow2(settings.integer() - settings.unsignedBits());
  }

  private double clipMin() {
    if (usesSignFunction()) {
      return -0.5;
    }
    return settings.keepNegative() ? -QuantizedBits.pow2(settings.unsignedBits()) + (settings.symmetric() ? 1 : 0) : 0.0;
  }

  private double clipMax() {
    return usesSignFunction() ? 0.5 : QuantizedBits.pow2(settings.unsignedBits()) - 1;
  }

  @Override
  public NDArray apply(NDArray input, boolean training) {
    return WorkPrecision.compute(input, settings.workBits(), x -> quantize(x, training));
  }

  private NDArray quantize(NDArray x, boolean training) {
    Shape shape = x.getShape();
    NDArray in = shape.dimension() == 0 ? x.stopGradient().reshape(1) : x.stopGradient();
    NDArray scale = settings.alpha().isAuto() ? autoQuantizationScale(in, training) : fixedQuantizationScale(in);
    NDArray scaled = in.div(scale);
    NDArray q = roundToCodes(scaled, training).mul(scale).reshape(shape);
    // The clip passes no gradient outside its range; the rounding passes it unchanged.
    NDArray inside = scaled.gte(clipMin()).logicalAnd(scaled.lte(clipMax())).reshape(shape).toType(x.getDataType(), false);
    return Ste.mix(x, Ste.through(x.mul(inside), q), settings.qnoiseFactor(), false);
  }

  /** Clip to the code range and round (QKeras's {@code _scale_clip_and_round} after the division). */
  private NDArray roundToCodes(NDArray scaled, boolean training) {
    // The sign function shifts by 0.5 so that rounding half to even yields -0.5 or +0.5.
    double shift = usesSignFunction() ? 0.5 : 0.0;
    NDArray clipped = scaled.clip(clipMin(), clipMax());
    if (shift != 0) {
      clipped = clipped.sub(shift);
    }
    NDArray rounded = Rounding.toIntegers(clipped, settings.useStochasticRounding() && training);
    return shift != 0 ? rounded.add(shift) : rounded;
  }

  private NDArray fixedQuantizationScale(NDArray x) {
    double dts = dataTypeScale();
    Alpha alpha = settings.alpha();
    double[] a = alpha.isNone() ? new double[] {1.0} : alpha.fixedValues();
    if (a.length == 1) {
      return x.getManager().create(a[0] * dts).toType(x.getDataType(), false);
    }
    alpha.requireFitsChannels(x.getShape(), NAME);
    return x.getManager().create(a).mul(Scalars.of(x, dts)).toType(x.getDataType(), false);
  }

  private NDArray autoQuantizationScale(NDArray x, boolean training) {
    int[] axes = AutoScale.reductionAxes(x.getShape().dimension(), settings.scaleAxis(), NAME);
    double clipRange = clipMax() - clipMin();
    NDArray scale = settings.keepNegative()
        // 2 max|x| / range, written max|x| / (range / 2) (exact): no overflow of 2 max|x|.
        ? Reductions.max(x.abs(), axes, true).div(Scalars.of(x, clipRange / 2))
        : Reductions.max(x, axes, true).div(Scalars.of(x, clipRange));
    scale = scale.maximum(Scalars.of(scale, KerasOps.EPSILON));
    if (settings.alpha().isPo2()) {
      scale = KerasOps.nearestPowerOfTwo(scale);
      // tf.while_loop: refine until the scale stops changing, at most 5 rounds (1 for a sign).
      int rounds = usesSignFunction() ? 1 : QuantizedBits.PO2_ROUNDS;
      AutoScale.Grouping grouping = new AutoScale.Grouping(settings.scaleAxis(), null, null, null);
      NDArray last = null;
      for (int i = 0; i < rounds && (last == null || last.neq(scale).any().getBoolean()); i++) {
        last = scale;
        NDArray codes = roundToCodes(x.div(scale), training);
        scale = AutoScale.fitLeastSquares(x, codes, true, grouping, NAME);
      }
    }
    recordScale(scale.div(Scalars.of(scale, dataTypeScale())));
    return scale;
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
    return settings.keepNegative();
  }

  /**
   * {@code clip_max} times the quantization scale as QKeras defines it before any call: the data
   * type scale, times alpha when alpha is one fixed number (a per-channel or automatic alpha
   * counts as 1 here).
   */
  @Override
  public double max() {
    return clipMax() * unitScale();
  }

  /** {@code clip_min} times the same scale as {@link #max()}. */
  @Override
  public double min() {
    return clipMin() * unitScale();
  }

  private double unitScale() {
    double[] a = settings.alpha().fixedValues();
    return dataTypeScale() * (a != null && a.length == 1 ? a[0] : 1.0);
  }

  /**
   * QKeras's order: codes 0 up to {@code clip_max}, then {@code clip_min} up to -1, times the
   * scale of {@link #max()}; {@code [max, min]} for the sign function. Empty above {@value
   * #MAX_RANGE_BITS} bits.
   */
  @Override
  public Optional<double[]> range() {
    if (usesSignFunction()) {
      return Optional.of(new double[] {max(), min()});
    }
    if (settings.bits() > MAX_RANGE_BITS) {
      return Optional.empty();
    }
    long hi = (long) clipMax();
    long lo = (long) clipMin();
    double step = unitScale();
    double[] out = new double[(int) (hi + 1 - lo)];
    int i = 0;
    for (long c = 0; c <= hi; c++) {
      out[i++] = c * step;
    }
    for (long c = lo; c < 0; c++) {
      out[i++] = c * step;
    }
    return Optional.of(out);
  }

  @Override
  public boolean isStochastic() {
    return settings.useStochasticRounding();
  }

  /**
   * Codes {@code clip_min..clip_max} of one data type scale (unit alpha), zero point 0. Empty for
   * the sign function, whose outputs {@code ±0.5} are not integer codes.
   */
  @Override
  public Optional<IntegerSpec> integerSpec() {
    if (usesSignFunction()) {
      return Optional.empty();
    }
    return Optional.of(new IntegerSpec(settings.bits(), settings.keepNegative(), dataTypeScale(), 0,
        (long) clipMin(), (long) clipMax()));
  }

  /**
   * {@code alpha=None} or a number/list: fixed. {@code 'auto'}: per channel (or {@code scale_axis}
   * entry; per element for a vector), the smallest scale that does not clip {@code max|x|}
   * ({@code max(x)} without keep_negative); {@code 'auto_po2'}: that snapped to a power of two, then
   * refined by least squares until it stops changing (at most five rounds).
   */
  @Override
  public String scaleDescription() {
    Alpha alpha = settings.alpha();
    String fromMax = AutoScale.Grouping.along(settings.scaleAxis()).describe() + ", the smallest that does not clip "
        + (settings.keepNegative() ? "max|x|" : "max(x)");
    return alpha.describe(alpha.isPo2()
        ? fromMax + ", snapped to a power of two and refined by least squares (at most " + QuantizedBits.PO2_ROUNDS
            + " rounds)"
        : fromMax);
  }

  /**
   * QKeras's {@code get_config} keys (bits, integer, symmetric, alpha, keep_negative,
   * use_stochastic_rounding, qnoise_factor), then any other argument that differs from its
   * default.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    settings.putConfig(c);
    QKerasText.putOmitted(c, settings.omittedFromConfig(SIGNATURE));
    return c;
  }

  /**
   * QKeras's {@code __str__}: {@code quantized_linear(bits,integer,symmetric[,keep_negative=False]
   * [,alpha=...][,use_stochastic_rounding=1])}, then any other argument that differs from its
   * default. (Upstream raises UnboundLocalError for a numeric alpha; it is printed here.)
   */
  @Override
  public String toString() {
    return settings.text(NAME).omitted(settings.omittedFromText(SIGNATURE)).toString();
  }
}

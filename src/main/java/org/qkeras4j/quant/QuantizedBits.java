package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.qkeras4j.engine.Reductions;
import org.qkeras4j.engine.Scalars;
import org.qkeras4j.engine.ScriptedFunction;

/**
 * QKeras's {@code quantized_bits}: fixed-point quantization to {@code bits} bits of which {@code
 * integer} lie left of the binary point (plus a sign bit when {@code keep_negative}), optionally
 * scaled by {@code alpha}.
 *
 * <ul>
 *   <li>{@code alpha=None} or a number (or one number per last-axis channel): {@code
 *       clip(round(x 2^(b-k-i)), lo, 2^(b-k) - 1) 2^(i-b+k) alpha}, with {@code lo = -2^(b-k) +
 *       symmetric} when {@code keep_negative} (else 0), {@code b} bits, {@code i} integer, {@code
 *       k} keep_negative. One unsigned bit ({@code bits=1}, signed) gives {@code ±1}.
 *   <li>{@code alpha='auto'} / {@code 'auto_po2'}: a per-channel scale (channels last, or along
 *       {@code scale_axis}) from the data, the codes limited to {@code ±(2^(bits-1) - 1)}; with
 *       {@code auto_po2} the scale is a power of two refined by five least-squares rounds. A
 *       string alpha makes the quantizer symmetric, as in QKeras. The scale of the last call is
 *       {@link #lastScale()} (QKeras's {@code q.scale}).
 * </ul>
 *
 * <p>The gradient is the straight-through identity (also where values are clipped), or {@code 1 -
 * qnoise_factor} when {@code use_ste=False}. Stochastic rounding applies in training only.
 * Values are computed in the input's type (float32, as QKeras) while {@code bits} fit its
 * mantissa, in float64 beyond (see {@link WorkPrecision}).
 */
public final class QuantizedBits extends AbstractQuantizer {
  /** The QKeras name. */
  public static final String NAME = "quantized_bits";

  /** QKeras's constructor, in positional order with its defaults. */
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
      .param("use_variables", false)
      .param("elements_per_scale", null)
      .param("min_po2_exponent", null)
      .param("max_po2_exponent", null)
      .param("post_training_scale", null);

  private final FixedPointSettings settings;
  private final AutoScale.Grouping grouping;
  /** The quantizer errors name: this one, or the quantizer it works inside ({@code quantized_hswish}). */
  private final String reportedName;
  private final Object postTrainingScaleValue;
  private final double[] postTrainingScale;
  private final long[] postTrainingScaleShape;
  private final String fusableBody;

  /** Least-squares refinements of an {@code auto_po2} scale, as QKeras unrolls them. */
  static final int PO2_ROUNDS = 5;

  QuantizedBits(Arguments args) {
    this(args, NAME);
  }

  private QuantizedBits(Arguments args, String reportedName) {
    this.reportedName = reportedName;
    FixedPointSettings read = FixedPointSettings.read(args, SIGNATURE, 1);
    // QKeras: a string alpha ("auto*") makes the quantizer symmetric whatever was passed.
    settings = read.alpha().isAuto() ? read.symmetricForced() : read;
    grouping = AutoScale.Grouping.read(args);
    Alpha alpha = settings.alpha();
    for (String onlyPo2 : List.of("elements_per_scale", "min_po2_exponent", "max_po2_exponent")) {
      if (!args.isNone(onlyPo2) && !alpha.isPo2()) {
        throw args.error(onlyPo2, "is only supported with alpha='auto_po2', got alpha=" + alpha);
      }
    }
    if (args.isNone("post_training_scale")) {
      postTrainingScaleValue = null;
      postTrainingScale = null;
      postTrainingScaleShape = null;
    } else {
      if (!alpha.isAuto()) {
        throw args.error("post_training_scale", "is only supported with alpha='auto' or 'auto_po2', got alpha=" + alpha);
      }
      List<Long> shape = new ArrayList<>();
      postTrainingScale = args.getNumberArray("post_training_scale", shape);
      postTrainingScaleShape = shape.stream().mapToLong(Long::longValue).toArray();
      postTrainingScaleValue = PyLiteral.normalized(args.get("post_training_scale"));
    }
    fusableBody = fusableBody();
  }

  static void register() {
    QuantizerRegistry.builtin(NAME, SIGNATURE, QuantizedBits::new, "QuantizedBits");
  }

  /** Builds from a QKeras-style argument map, e.g. {@code Map.of("bits", 4, "alpha", "auto_po2")}. */
  public static QuantizedBits of(Map<String, ?> config) {
    return new QuantizedBits(SIGNATURE.bind(NAME, config));
  }

  /**
   * The {@code quantized_bits} another quantizer applies to its own function ({@code
   * quantized_hswish} quantizes its hard swish so); errors about inputs then name {@code
   * quantizer}.
   */
  static QuantizedBits inside(String quantizer, Map<String, ?> config) {
    return new QuantizedBits(SIGNATURE.bind(quantizer, config), quantizer);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public NDArray apply(NDArray input, boolean training) {
    NDArray fused = Fusion.applyOrNull(this, input, training);
    if (fused != null) {
      return fused;
    }
    return WorkPrecision.compute(input, settings.workBits(),
        x -> Ste.mix(x, quantizedValues(x.stopGradient(), training), settings.qnoiseFactor(), settings.useSte()));
  }

  /**
   * The quantized values of a detached array, without the straight-through wiring: what {@code
   * quantized_hswish} applies to its hard swish.
   */
  NDArray quantizedValues(NDArray x, boolean training) {
    Shape shape = x.getShape();
    NDArray in = shape.dimension() == 0 ? x.reshape(1) : x;
    NDArray q = settings.alpha().isAuto() ? quantizeAuto(in) : quantizeFixed(in, training);
    return shape.dimension() == 0 ? q.reshape(shape) : q;
  }

  /**
   * The usual fixed-point case (alpha None or one number, nearest rounding, at least one bit
   * besides the sign, plain straight-through, a grid float32 holds) as one TorchScript function,
   * null otherwise. {@code clone} records the identity gradient; the clone's storage then becomes the quantized
   * value through a detached view, in place, with the operations of {@link #quantizeFixed} in the
   * same order, so the values are the same. (For an infinite input it returns the clipped code,
   * where {@code x + stop_gradient(q - x)} gives NaN.)
   */
  @Override
  public String fusedBody(DataType dtype, boolean training) {
    return Fusion.bodyFor(this, fusableBody, dtype, training);
  }

  private String fusableBody() {
    Alpha alpha = settings.alpha();
    int unsigned = settings.unsignedBits();
    boolean fixedScalar = alpha.isNone() || (!alpha.isAuto() && alpha.fixedValues().length == 1);
    if (!fixedScalar || unsigned <= 0 || settings.qnoiseFactor() != 1.0 || !settings.useSte()
        || settings.workBits() > WorkPrecision.mantissaBits(DataType.FLOAT32)) {
      return null;
    }
    double m = pow2(unsigned);
    double lo = settings.keepNegative() ? -m + (settings.symmetric() ? 1 : 0) : 0.0;
    double scale = pow2(unsigned - settings.integer());
    StringBuilder body = new StringBuilder("y = x.clone()\nq = y.detach()\n");
    if (Fusion.roundsOnGrid(scale, Math.max(-lo, m - 1))) {
      body.append(Fusion.roundToGrid("q", scale, lo, m - 1));
    } else {
      body.append("q.mul_(").append(ScriptedFunction.float32(scale)).append(").round_()")
          .append(".clamp_(").append(ScriptedFunction.literal(lo)).append(", ").append(ScriptedFunction.literal(m - 1))
          .append(").mul_(").append(ScriptedFunction.float32(1 / scale)).append(")\n");
    }
    if (!alpha.isUnit()) {
      body.append("q.mul_(").append(ScriptedFunction.float32(alpha.fixedValues()[0])).append(")\n");
    }
    return body.append("return y").toString();
  }

  private NDArray quantizeFixed(NDArray x, boolean training) {
    int unsigned = settings.unsignedBits();
    NDArray xq;
    if (unsigned > 0) {
      double m = pow2(unsigned);
      NDArray p = x.mul(Scalars.of(x, pow2(unsigned - settings.integer())));
      NDArray rounded = Rounding.toIntegers(p, settings.useStochasticRounding() && training);
      double lo = settings.keepNegative() ? -m + (settings.symmetric() ? 1 : 0) : 0.0;
      xq = rounded.clip(lo, m - 1).muli(Scalars.of(x, pow2(settings.integer() - unsigned)));
    } else {
      // One signed bit is a binary quantizer: sign(x) with 0 mapped to +1.
      xq = KerasOps.signZeroPositive(x);
    }
    return scaleByFixedAlpha(xq, settings.alpha(), reportedName);
  }

  /**
   * {@code xq} times a fixed alpha: one value, or one per last-axis channel; unchanged for None.
   * Shared by the fixed-point quantizers, which word the channel mismatch this way.
   */
  static NDArray scaleByFixedAlpha(NDArray xq, Alpha alpha, String quantizer) {
    if (alpha.isUnit()) {
      // None or 1: x * 1 is x for every value (NaN and -0 included), so skip the pass.
      return xq;
    }
    double[] a = alpha.fixedValues();
    if (a.length == 1) {
      return xq.mul(Scalars.of(xq, a[0]));
    }
    alpha.requireFitsChannels(xq.getShape(), quantizer);
    return xq.mul(xq.getManager().create(a).toType(xq.getDataType(), false));
  }

  private NDArray quantizeAuto(NDArray x) {
    int bits = settings.bits();
    int unsigned = settings.unsignedBits();
    double m = pow2(unsigned);
    NDArray xs = x.div(Scalars.of(x, pow2(settings.integer())));
    // |x| and sign(x) once: codes are sign(x) * v with v >= 0, so the least-squares sums
    // x*q and q*q are |x|*v and v*v.
    NDArray magnitude = xs.abs();
    double levels = settings.symmetric() ? (pow2(bits - 1) - 1) * 2 : pow2(bits) - 1;
    double half = levels / 2;
    NDArray scale;
    if (postTrainingScale != null) {
      // A frozen scale is stored in the output's units; QKeras divides it by m to work on codes.
      scale = xs.getManager().create(postTrainingScale, new Shape(postTrainingScaleShape))
          .toType(xs.getDataType(), false).div(Scalars.of(xs, m));
    } else {
      int rank = xs.getShape().dimension();
      int[] axes = AutoScale.maxAxes(rank, settings.scaleAxis(), reportedName);
      // 2 max / levels, written max / (levels / 2): the same correctly rounded quotient (levels is
      // even), without 2 max overflowing for inputs near float's largest value.
      scale = Reductions.max(magnitude, axes, true).div(Scalars.of(x, levels / 2));
      if (settings.alpha().isPo2()) {
        requireGroupsDivide(xs.getShape());
        scale = KerasOps.nearestPowerOfTwo(scale);
        for (int i = 0; i < PO2_ROUNDS; i++) {
          NDArray v = levelMagnitudes(magnitude, scale, half);
          NDArray next = AutoScale.fitLeastSquares(magnitude, v, true, grouping, reportedName);
          // Each round depends on the scale alone: once it repeats, QKeras's remaining rounds do too.
          boolean settled = KerasOps.sameValues(next, scale);
          scale = next;
          if (settled) {
            break;
          }
        }
      }
    }
    if (half == 0) {
      // One bit leaves no non-zero level for an automatic scale (codes 0 only, as integerSpec()
      // says); QKeras computes 0 * inf = NaN here.
      recordScale(scale.toType(DataType.FLOAT64, false).mul(Scalars.of(scale, m)));
      return xs.zerosLike();
    }
    NDArray z = xs.sign().mul(levelMagnitudes(magnitude, scale, half));
    // QKeras's q.scale is scale * m (kept in float64, where it cannot overflow). The value z 2^(i-u)
    // (scale m) is computed as (z scale) 2^i: the same correctly rounded product, without the
    // intermediate scale * m overflowing for inputs near float's largest value.
    recordScale(scale.toType(DataType.FLOAT64, false).mul(Scalars.of(scale, m)));
    return z.mul(scale).mul(Scalars.of(x, pow2(settings.integer())));
  }

  /** Checks that {@code elements_per_scale} divides the scale axes before the po2 fit starts. */
  private void requireGroupsDivide(Shape shape) {
    if (grouping.elementsPerScale() == null || shape.dimension() <= 1) {
      return;
    }
    AutoScale.requireGroupsDivide(shape.getShape(), grouping, reportedName);
  }

  /**
   * {@code min(floor(|x| / scale + 0.5), half)}: QKeras's rounding for auto scales (half away
   * from zero once the sign is put back), limited to {@code ±(2^(bits-1) - 1)}.
   */
  private static NDArray levelMagnitudes(NDArray magnitude, NDArray scale, double half) {
    // A zero scale only comes from an all-zero channel (alpha='auto'); dividing by the smallest
    // float instead gives code 0 there, where QKeras's 0/0 = NaN ends up as 0 too.
    return magnitude.div(scale.maximum(Scalars.of(scale, Float.MIN_VALUE))).add(Scalars.of(magnitude, 0.5)).floor().minimum(Scalars.of(magnitude, half));
  }

  /** {@code 2^k} (exact). */
  static double pow2(int k) {
    return Math.scalb(1.0, k);
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
    return settings.keepNegative() || settings.alpha().isAuto();
  }

  /** {@code max(1, 2^integer)} as QKeras reports it (not the largest level), 1 for one signed bit. */
  @Override
  public double max() {
    return settings.unsignedBits() > 0 ? Math.max(1.0, pow2(settings.integer())) : 1.0;
  }

  /** {@code -max(1, 2^integer)}, 0 without keep_negative, -1 for one signed bit. */
  @Override
  public double min() {
    return settings.keepNegative() ? -max() : 0.0;
  }

  /**
   * Every value in two's complement code order (0, 1, ..., then the most negative up to -1), as
   * QKeras defines it: only for {@code symmetric=0}, {@code keep_negative=True} and alpha None
   * or 1.0. Empty otherwise, and above {@value #MAX_RANGE_BITS} bits (2^bits
   * values).
   */
  @Override
  public Optional<double[]> range() {
    int bits = settings.bits();
    if (settings.symmetric() || !settings.keepNegative() || !settings.alpha().isUnit()
        || bits > MAX_RANGE_BITS) {
      return Optional.empty();
    }
    int n = 1 << bits;
    int half = n >> 1;
    double step = pow2(settings.integer() - bits + 1);
    double[] out = new double[n];
    for (int code = 0; code < n; code++) {
      out[code] = (code >= half ? code - n : code) * step;
    }
    return Optional.of(out);
  }

  @Override
  public boolean isStochastic() {
    return settings.useStochasticRounding() && !settings.alpha().isAuto() && settings.unsignedBits() > 0;
  }

  /**
   * Codes of one unit-alpha step {@code 2^(integer - bits + keep_negative)}, zero point 0: from
   * {@code -2^(bits-1) + symmetric} (0 without keep_negative) to {@code 2^(bits-k) - 1}, or
   * {@code ±(2^(bits-1) - 1)} with an automatic alpha. Empty for one signed bit (values ±1,
   * not an affine 1-bit code).
   */
  @Override
  public Optional<IntegerSpec> integerSpec() {
    int bits = settings.bits();
    double step = pow2(settings.integer() - settings.unsignedBits());
    if (settings.alpha().isAuto()) {
      long c = (1L << (bits - 1)) - 1;
      return Optional.of(new IntegerSpec(bits, true, step, 0, -c, c));
    }
    if (settings.unsignedBits() == 0) {
      return Optional.empty();
    }
    long m = 1L << settings.unsignedBits();
    long lo = settings.keepNegative() ? -m + (settings.symmetric() ? 1 : 0) : 0;
    return Optional.of(new IntegerSpec(bits, settings.keepNegative(), step, 0, lo, m - 1));
  }

  /**
   * {@code alpha=None} or a number/list: fixed. {@code 'auto'}: per channel (or {@code
   * scale_axis} entry) so that the largest code {@code 2^(bits-1) - 1} reaches {@code max|x|};
   * {@code 'auto_po2'}: that snapped to a power of two, then refined by five least-squares rounds.
   */
  @Override
  public String scaleDescription() {
    Alpha alpha = settings.alpha();
    if (postTrainingScale != null) {
      return "frozen by post_training_scale (alpha=" + alpha + ")";
    }
    String fromMax = grouping.describe() + ", the largest code reaching max|x|";
    return alpha.describe(alpha.isPo2()
        ? fromMax + ", snapped to a power of two and refined by " + PO2_ROUNDS + " least-squares rounds"
            + grouping.describePo2Bounds()
        : fromMax);
  }

  /** Arguments QKeras's {@code get_config} drops besides the shared ones. */
  private List<QKerasText.Omitted> omittedGrouping() {
    return List.of(
        SIGNATURE.omitted("elements_per_scale", IntOrList.toConfig(grouping.elementsPerScale())),
        SIGNATURE.omitted("min_po2_exponent", grouping.minPo2Exponent()),
        SIGNATURE.omitted("max_po2_exponent", grouping.maxPo2Exponent()));
  }

  /**
   * QKeras's {@code get_config} keys (bits, integer, symmetric, alpha, keep_negative,
   * use_stochastic_rounding, qnoise_factor, post_training_scale), then any other argument that
   * differs from its default, so that a round trip keeps {@code scale_axis} and the like.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    settings.putConfig(c);
    c.put("post_training_scale", postTrainingScaleValue);
    QKerasText.putOmitted(c, settings.omittedFromConfig(SIGNATURE));
    QKerasText.putOmitted(c, omittedGrouping());
    return c;
  }

  /**
   * QKeras's {@code __str__}: {@code quantized_bits(bits,integer,symmetric[,keep_negative=False]
   * [,alpha=...][,use_stochastic_rounding=1])}, followed by any other argument that differs from
   * its default (QKeras leaves those out, which would lose them on a round trip).
   */
  @Override
  public String toString() {
    return settings.text(NAME)
        .omitted(settings.omittedFromText(SIGNATURE))
        .omitted(omittedGrouping())
        .omitted(List.of(SIGNATURE.omitted("post_training_scale", postTrainingScaleValue)))
        .toString();
  }
}

package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.qkeras4j.engine.Scalars;

/**
 * QKeras's {@code quantized_hswish(bits, integer, symmetric, alpha, ...)}: the hard swish of
 * MobileNetV3, {@code x * min(relu(x + relu_shift), relu_upper_bound) / relu_upper_bound},
 * quantized by a {@code quantized_bits} with {@code keep_negative=True}, as QKeras's class (a
 * subclass of {@code quantized_bits}) does: signed fixed point, {@code bits} bits of which {@code
 * integer} left of the binary point, values {@code k * 2^(integer - bits + 1)} for {@code k} from
 * {@code -2^(bits-1)} (one more with {@code symmetric}) to {@code 2^(bits-1) - 1}, then multiplied
 * by {@code alpha}.
 *
 * <p>{@code alpha} is None, a number or a list of numbers (one per channel, the last axis), or
 * {@code 'auto'} / {@code 'auto_po2'}, which compute a per-channel scale from the data (and force
 * {@code symmetric}) as {@code quantized_bits} does; the scale of the last call is kept ({@link
 * #lastScale()}). The gradient is the hard swish's, with the quantization straight-through.
 */
public final class QuantizedHswish extends AbstractQuantizer {
  static final String NAME = "quantized_hswish";

  static final Signature SIGNATURE = Signature.builder()
      .param("bits", 8L)
      .param("integer", 0L)
      .param("symmetric", 0L)
      .param("alpha", null)
      .param("use_stochastic_rounding", false)
      .param("scale_axis", null)
      .param("qnoise_factor", 1.0)
      .param("var_name", null)
      .param("use_variables", false)
      .param("relu_shift", 3L)
      .param("relu_upper_bound", 6L);

  private final int bits;
  private final int integer;
  private final Object symmetric;
  private final Alpha alpha;
  private final boolean useStochasticRounding;
  private final IntOrList scaleAxis;
  private final Number qnoiseFactor;
  private final String varName;
  private final boolean useVariables;
  private final Number reluShift;
  private final Number reluUpperBound;
  /** QKeras's parent class: the signed {@code quantized_bits} the hard swish goes through. */
  private final QuantizedBits fixedPoint;

  /** {@code quantized_hswish(bits, integer)} with every other argument at its default. */
  public QuantizedHswish(int bits, int integer) {
    this(SIGNATURE.bind(NAME, Map.of("bits", bits, "integer", integer)));
  }

  QuantizedHswish(Arguments args) {
    this.bits = args.getInt("bits", 1, 32);
    this.integer = args.getInt("integer", -64, 64);
    this.alpha = args.getAlpha("alpha", Alpha.AUTO, Alpha.AUTO_PO2);
    // As quantized_bits: an automatic alpha is only implemented for symmetric ranges.
    Object symmetricAsWritten = args.getBoolAsWritten("symmetric");
    this.symmetric = alpha.isAuto() ? Boolean.TRUE : symmetricAsWritten;
    this.useStochasticRounding = args.getBool("use_stochastic_rounding");
    this.scaleAxis = args.getIntOrList("scale_axis", Integer.MIN_VALUE);
    double qnoise = args.getDouble("qnoise_factor");
    if (qnoise < 0 || qnoise > 1) {
      throw args.error("qnoise_factor", "must be in [0, 1], got " + PyLiteral.number(qnoise));
    }
    this.qnoiseFactor = args.getNumberAsWritten("qnoise_factor");
    this.varName = args.getString("var_name");
    this.useVariables = args.getBool("use_variables");
    this.reluShift = positive(args, "relu_shift");
    this.reluUpperBound = positive(args, "relu_upper_bound");
    Map<String, Object> bitsConfig = new LinkedHashMap<>();
    bitsConfig.put("bits", bits);
    bitsConfig.put("integer", integer);
    bitsConfig.put("symmetric", symmetricAsWritten);
    bitsConfig.put("keep_negative", true);
    bitsConfig.put("alpha", alpha.toConfig());
    bitsConfig.put("use_stochastic_rounding", useStochasticRounding);
    bitsConfig.put("scale_axis", IntOrList.toConfig(scaleAxis));
    this.fixedPoint = QuantizedBits.inside(NAME, bitsConfig);
  }

  /** QKeras asserts both relu parameters are positive when the quantizer is called. */
  private static Number positive(Arguments args, String name) {
    double v = args.getDouble(name);
    if (!(v > 0)) {
      throw args.error(name, "must be positive, got " + PyLiteral.number(v));
    }
    return args.getNumberAsWritten(name);
  }

  static void register() {
    QuantizerRegistry.builtin(NAME, SIGNATURE, QuantizedHswish::new, "QuantizedHswish");
  }

  @Override
  public String name() {
    return NAME;
  }

  private int symmetricOffset() {
    return PyLiteral.truthy(symmetric) ? 1 : 0;
  }

  @Override
  public NDArray apply(NDArray input, boolean training) {
    return WorkPrecision.compute(input, bits, x -> quantize(x, training));
  }

  private NDArray quantize(NDArray input, boolean training) {
    double upper = reluUpperBound.doubleValue();
    // x * gate overflows above float's largest value / relu_upper_bound (QKeras then gives NaN).
    // The quantizer clips such hard swishes to its largest code anyway, so larger inputs count as
    // that limit (their gradient is 0, where QKeras's would be 1 if its value were not NaN).
    NDArray x = input.minimum(
        Scalars.of(input, Math.scalb(1.0, KerasOps.largestExponent(input.getDataType()) - Math.getExponent(upper) - 1)));
    NDArray gate = KerasOps.relu(x.add(reluShift.doubleValue()), 0, upper);
    NDArray hswish = x.mul(gate).div(Scalars.of(x, upper));
    NDArray xq = fixedPoint.quantizedValues(hswish.stopGradient(), training);
    fixedPoint.lastScale().ifPresent(this::recordScale);
    return Ste.mix(hswish, xq, qnoiseFactor.doubleValue(), true);
  }

  @Override
  public int bits() {
    return bits;
  }

  @Override
  public int integerBits() {
    return integer;
  }

  @Override
  public boolean signed() {
    return true;
  }

  @Override
  public boolean isStochastic() {
    return useStochasticRounding;
  }

  /** As {@code quantized_bits}: {@code max(1, 2^integer)}, or 1 for one bit. */
  @Override
  public double max() {
    return fixedPoint.max();
  }

  /**
   * As QKeras: the bits' minimum {@code -max(1, 2^integer)}, unless the hard swish's own minimum
   * {@code -relu_shift^2 / (4 relu_upper_bound)} lies above it, in which case that minimum rounded
   * to the grid (unit scale). (QKeras means the latter but calls a method that does not exist.)
   */
  @Override
  public double min() {
    double bitsMin = fixedPoint.min();
    double shift = reluShift.doubleValue();
    double parabolaMin = -shift * shift / (4 * reluUpperBound.doubleValue());
    if (bitsMin >= parabolaMin) {
      return bitsMin;
    }
    if (bits == 1) {
      return -1.0;
    }
    double m = Math.scalb(1.0, bits - 1);
    double mi = Math.scalb(1.0, integer);
    double code = Math.max(-m + symmetricOffset(), Math.min(m - 1, Math.rint(parabolaMin * m / mi)));
    return mi * code / m;
  }

  /**
   * As {@code quantized_bits}: every value in two's-complement code order, {@code 0, 1, ...,
   * 2^(bits-1) - 1, -2^(bits-1), ..., -1} times {@code 2^(integer - bits + 1)}; only defined
   * without {@code symmetric} and with alpha None or 1.
   */
  @Override
  public Optional<double[]> range() {
    return fixedPoint.range();
  }

  /**
   * Signed codes {@code -2^(bits-1) + symmetric .. 2^(bits-1) - 1} times {@code 2^(integer - bits
   * + 1)} (times a single fixed alpha). Empty for one bit (outputs -1 and +1, no zero), for
   * per-channel alpha and for automatic alpha, whose scale depends on the data.
   */
  @Override
  public Optional<IntegerSpec> integerSpec() {
    double[] a = alpha.fixedValues();
    if (bits == 1 || alpha.isAuto() || (a != null && a.length != 1)) {
      return Optional.empty();
    }
    double scale = Math.scalb(1.0, integer - bits + 1) * (a == null ? 1.0 : a[0]);
    long half = 1L << (bits - 1);
    return Optional.of(new IntegerSpec(bits, true, scale, 0, -half + symmetricOffset(), half - 1));
  }

  /** That of the {@code quantized_bits} the hard swish goes through. */
  @Override
  public String scaleDescription() {
    return fixedPoint.scaleDescription();
  }

  private List<QKerasText.Omitted> omittedFromConfig() {
    return List.of(
        SIGNATURE.omitted("scale_axis", IntOrList.toConfig(scaleAxis)),
        SIGNATURE.omitted("var_name", varName),
        SIGNATURE.omitted("use_variables", useVariables));
  }

  /**
   * QKeras's keys ({@code bits, integer, symmetric, alpha, use_stochastic_rounding,
   * qnoise_factor, relu_shift, relu_upper_bound}) without {@code keep_negative} and {@code
   * post_training_scale}, which QKeras's config also lists but its constructor rejects; then any
   * argument QKeras drops that is not at its default.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("bits", bits);
    config.put("integer", integer);
    config.put("symmetric", symmetric);
    config.put("alpha", alpha.toConfig());
    config.put("use_stochastic_rounding", useStochasticRounding);
    config.put("qnoise_factor", qnoiseFactor);
    config.put("relu_shift", reluShift);
    config.put("relu_upper_bound", reluUpperBound);
    QKerasText.putOmitted(config, omittedFromConfig());
    return config;
  }

  /** QKeras's text, e.g. {@code quantized_hswish(6,2,0,relu_shift=3,relu_upper_bound=6)}. */
  @Override
  public String toString() {
    return new QKerasText(NAME)
        .positional(Integer.toString(bits))
        .positional(Integer.toString(integer))
        .positional(QKerasText.intFlag(symmetric))
        .keyword(true, "relu_shift", PyLiteral.format(reluShift))
        .keyword(true, "relu_upper_bound", PyLiteral.format(reluUpperBound))
        .keyword(!alpha.isNone(), "alpha", alpha.text())
        .keyword(useStochasticRounding, "use_stochastic_rounding", "1")
        .omitted(List.of(SIGNATURE.omitted("qnoise_factor", qnoiseFactor)))
        .omitted(omittedFromConfig())
        .toString();
  }
}

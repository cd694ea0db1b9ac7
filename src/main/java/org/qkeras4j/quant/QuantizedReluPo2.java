package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.qkeras4j.engine.Scalars;

/**
 * QKeras's {@code quantized_relu_po2}: a (leaky) ReLU whose output is the nearest power of two
 * {@code 2**e}, {@code e} clipped to {@code [-2**(bits - s), 2**(bits - s) - 1]} ({@code s} = 1
 * unless {@code max_value <= 1}). Non-positive inputs give the smallest power {@code 2**min_exp},
 * not 0, unless a {@code negative_slope} (a power of two) makes them {@code -2**e} of {@code
 * slope * |x|}. The gradient is that of the float ReLU (clipped at {@code max_value}).
 */
public final class QuantizedReluPo2 extends AbstractQuantizer {
  public static final String NAME = "quantized_relu_po2";

  static final Signature SIGNATURE = Signature.builder()
      .param("bits", 8L)
      .param("max_value", null)
      .param("negative_slope", 0L)
      .param("use_stochastic_rounding", false)
      .param("quadratic_approximation", false)
      .param("log2_rounding", PowerOfTwo.ROUND)
      .param("qnoise_factor", 1.0)
      .param("var_name", null)
      .param("use_ste", true)
      .param("use_variables", false);

  private final Po2Settings settings;
  private final Number negativeSlope;
  private final PowerOfTwo.ExponentRange range;

  /** {@code quantized_relu_po2(bits, max_value, negative_slope)}; {@code maxValue} may be null. */
  public QuantizedReluPo2(int bits, Double maxValue, double negativeSlope) {
    this(SIGNATURE.bindValues(NAME, "bits", bits, "max_value", maxValue, "negative_slope", negativeSlope));
  }

  QuantizedReluPo2(Arguments args) {
    settings = Po2Settings.read(args);
    negativeSlope = args.getNumberAsWritten("negative_slope");
    // QKeras asserts the slope is 0 or a power of two (2**-4), so that it is a shift in hardware.
    double slope = negativeSlope.doubleValue();
    if (slope < 0) {
      throw args.error("negative_slope", "must be 0 or a positive power of two, got " + PyLiteral.number(slope));
    }
    if (slope != 0 && slope != Math.scalb(1.0, Math.getExponent(slope))) {
      throw args.error("negative_slope", "must be a power of two such as 0.0625 (2**-4), got " + PyLiteral.number(slope));
    }
    range = PowerOfTwo.range(settings.bits(), PowerOfTwo.exponentSignBit(settings.maxValueOrNull()),
        settings.quadraticApproximation());
  }

  static void register() {
    QuantizerRegistry.builtin(NAME, SIGNATURE, QuantizedReluPo2::new, "QuantizedReluPo2");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public NDArray apply(NDArray x, boolean training) {
    double slope = negativeSlope.doubleValue();
    Double maxValue = settings.maxValueOrNull();
    NDArray relu = KerasOps.relu(x, slope, maxValue);
    try (Scratch scratch = new Scratch(x)) {
      NDArray xd = scratch.detach(x);
      boolean stochastic = settings.useStochasticRounding() && training;
      NDArray positive = PowerOfTwo.value(PowerOfTwo.exponent(xd.maximum(Scalars.of(xd, 0.0)), range, maxValue,
          settings.quadraticApproximation(), stochastic, settings.log2Rounding()), range);
      NDArray xq = positive;
      if (slope != 0) {
        NDArray negative = PowerOfTwo.value(PowerOfTwo.exponent(xd.neg().maximum(Scalars.of(xd, 0.0)).mul(Scalars.of(xd, slope)), range, maxValue,
            settings.quadraticApproximation(), stochastic, settings.log2Rounding()), range);
        xq = NDArrays.where(xd.gte(0.0), positive, negative.neg());
      }
      return Ste.mix(relu, scratch.keep(xq), settings.qnoiseFactor(), settings.useSte());
    }
  }

  public double minExponent() {
    return range.min();
  }

  public double maxExponent() {
    return range.max();
  }

  @Override
  public int bits() {
    return settings.bits();
  }

  /** QTools counts every bit of a power-of-two code as an integer bit. */
  @Override
  public int integerBits() {
    return settings.bits();
  }

  /** Negative outputs exist only with a negative slope. */
  @Override
  public boolean signed() {
    return negativeSlope.doubleValue() != 0;
  }

  @Override
  public double max() {
    return settings.qkerasMax(range);
  }

  /**
   * QKeras: the smallest positive power {@code 2**min_exp} without a negative slope, else {@code
   * min(2**min_exp, -slope * 2**(bits-1))}.
   */
  @Override
  public double min() {
    double smallest = Math.pow(2, range.min());
    double slope = negativeSlope.doubleValue();
    if (slope == 0 || settings.bits() - 1 <= 0) {
      return smallest;
    }
    return Math.min(smallest, -slope * Math.pow(2, settings.bits() - 1));
  }

  @Override
  public boolean isStochastic() {
    return settings.useStochasticRounding();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("bits", settings.bits());
    c.put("max_value", settings.maxValue());
    c.put("negative_slope", negativeSlope);
    c.put("use_stochastic_rounding", settings.useStochasticRounding());
    c.put("quadratic_approximation", settings.quadraticApproximation());
    c.put("qnoise_factor", settings.qnoiseFactor());
    c.put("log2_rounding", settings.log2Rounding());
    QKerasText.putOmitted(c, settings.omittedFromConfig(SIGNATURE));
    return Collections.unmodifiableMap(c);
  }

  /**
   * QKeras's {@code __str__}: {@code quantized_relu_po2(bits[,max_value][,slope][,1][,quadratic_approximation=1])},
   * with a positional flag written as a keyword when an earlier one was left out (see {@link QKerasText}).
   */
  @Override
  public String toString() {
    return settings.text(NAME)
        .optional(negativeSlope.doubleValue() != 0, "negative_slope", PyLiteral.format(negativeSlope))
        .optional(settings.useStochasticRounding(), "use_stochastic_rounding", "1")
        .keyword(settings.quadraticApproximation(), "quadratic_approximation", "1")
        .omitted(settings.omittedFromText(SIGNATURE))
        .toString();
  }
}

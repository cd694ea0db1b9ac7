package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.qkeras4j.engine.Scalars;

/**
 * QKeras's {@code quantized_sigmoid(bits, symmetric, use_real_sigmoid, use_stochastic_rounding)}:
 * a sigmoid rounded to {@code bits} unsigned fractional bits, values {@code k / 2^bits} for {@code
 * k} from 0 (or 1 with {@code symmetric}) to {@code 2^bits - 1}.
 *
 * <p>The sigmoid is the module-level one ({@link InternalSigmoid}, hard by default, looked up at
 * each call as QKeras does) unless {@code use_real_sigmoid} asks for the logistic function. The
 * gradient is that function's, with the rounding straight-through.
 */
public final class QuantizedSigmoid extends AbstractQuantizer {
  static final String NAME = "quantized_sigmoid";

  static final Signature SIGNATURE = Signature.builder()
      .param("bits", 8L)
      .param("symmetric", false)
      .param("use_real_sigmoid", false)
      .param("use_stochastic_rounding", false);

  private final int bits;
  private final Object symmetric;
  private final Object useRealSigmoid;
  private final Object useStochasticRounding;

  /** {@code quantized_sigmoid(bits)} with every other argument at its default. */
  public QuantizedSigmoid(int bits) {
    this(SIGNATURE.bind(NAME, Map.of("bits", bits)));
  }

  QuantizedSigmoid(Arguments args) {
    this.bits = args.getInt("bits", 1, 32);
    this.symmetric = args.getBoolAsWritten("symmetric");
    this.useRealSigmoid = args.getBoolAsWritten("use_real_sigmoid");
    this.useStochasticRounding = args.getBoolAsWritten("use_stochastic_rounding");
  }

  static void register() {
    QuantizerRegistry.builtin(NAME, SIGNATURE, QuantizedSigmoid::new, "QuantizedSigmoid");
  }

  @Override
  public String name() {
    return NAME;
  }

  private double levels() {
    return Math.scalb(1.0, bits);
  }

  private int symmetricOffset() {
    return PyLiteral.truthy(symmetric) ? 1 : 0;
  }

  @Override
  public NDArray apply(NDArray input, boolean training) {
    return WorkPrecision.compute(input, bits, x -> quantize(x, training));
  }

  private NDArray quantize(NDArray x, boolean training) {
    double m = levels();
    InternalSigmoid sigmoid = PyLiteral.truthy(useRealSigmoid) ? InternalSigmoid.REAL : InternalSigmoid.current();
    NDArray rounded = Rounding.through(sigmoid.apply(x).mul(Scalars.of(x, m)), isStochastic() && training);
    return rounded.div(Scalars.of(x, m)).clip(symmetricOffset() / m, 1.0 - 1.0 / m);
  }

  @Override
  public int bits() {
    return bits;
  }

  @Override
  public int integerBits() {
    return 0;
  }

  @Override
  public boolean signed() {
    return false;
  }

  @Override
  public boolean isStochastic() {
    return PyLiteral.truthy(useStochasticRounding);
  }

  /** {@code 1 - 2^-bits}, as QKeras. */
  @Override
  public double max() {
    return 1.0 - 1.0 / levels();
  }

  /** {@code symmetric * 2^-bits}, as QKeras. */
  @Override
  public double min() {
    return symmetricOffset() / levels();
  }

  /** Unsigned codes {@code symmetric .. 2^bits - 1}, step {@code 2^-bits}. */
  @Override
  public Optional<IntegerSpec> integerSpec() {
    long m = 1L << bits;
    return Optional.of(new IntegerSpec(bits, false, 1.0 / m, 0, symmetricOffset(), m - 1));
  }

  /** QKeras's keys: {@code bits, symmetric, use_real_sigmoid, use_stochastic_rounding}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("bits", bits);
    config.put("symmetric", symmetric);
    config.put("use_real_sigmoid", useRealSigmoid);
    config.put("use_stochastic_rounding", useStochasticRounding);
    return config;
  }

  /** QKeras's text, e.g. {@code quantized_sigmoid(6)}; flags after a skipped one take keywords. */
  @Override
  public String toString() {
    return new QKerasText(NAME)
        .positional(Integer.toString(bits))
        .optional(PyLiteral.truthy(symmetric), "symmetric", QKerasText.intFlag(symmetric))
        .optional(PyLiteral.truthy(useRealSigmoid), "use_real_sigmoid", QKerasText.intFlag(useRealSigmoid))
        .optional(isStochastic(), "use_stochastic_rounding", QKerasText.intFlag(useStochasticRounding))
        .toString();
  }
}

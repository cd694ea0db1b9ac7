package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.qkeras4j.engine.Scalars;

/**
 * QKeras's {@code quantized_tanh(bits, use_stochastic_rounding, symmetric, use_real_tanh)}: a
 * tanh rounded to {@code bits} signed bits, values {@code k / 2^(bits-1)} for {@code k} from
 * {@code -2^(bits-1)} (or one more with {@code symmetric}) to {@code 2^(bits-1) - 1}.
 *
 * <p>The tanh is {@code 2 sigmoid(x) - 1} with the module-level sigmoid ({@link InternalSigmoid},
 * hard by default, looked up at each call as QKeras does), or the real tanh with {@code
 * use_real_tanh}. The gradient is that function's, with the rounding straight-through.
 */
public final class QuantizedTanh extends AbstractQuantizer {
  static final String NAME = "quantized_tanh";

  static final Signature SIGNATURE = Signature.builder()
      .param("bits", 8L)
      .param("use_stochastic_rounding", false)
      .param("symmetric", false)
      .param("use_real_tanh", false);

  private final int bits;
  private final Object useStochasticRounding;
  private final Object symmetric;
  private final Object useRealTanh;

  /** {@code quantized_tanh(bits)} with every other argument at its default. */
  public QuantizedTanh(int bits) {
    this(SIGNATURE.bind(NAME, Map.of("bits", bits)));
  }

  QuantizedTanh(Arguments args) {
    this.bits = args.getInt("bits", 1, 32);
    this.useStochasticRounding = args.getBoolAsWritten("use_stochastic_rounding");
    this.symmetric = args.getBoolAsWritten("symmetric");
    this.useRealTanh = args.getBoolAsWritten("use_real_tanh");
  }

  static void register() {
    QuantizerRegistry.builtin(NAME, SIGNATURE, QuantizedTanh::new, "QuantizedTanh");
  }

  @Override
  public String name() {
    return NAME;
  }

  private double levels() {
    return Math.scalb(1.0, bits - 1);
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
    NDArray p = PyLiteral.truthy(useRealTanh)
        ? x.tanh()
        : InternalSigmoid.current().apply(x).mul(Scalars.of(x, 2.0)).sub(1.0);
    NDArray rounded = Rounding.through(p.mul(Scalars.of(x, m)), isStochastic() && training);
    return rounded.div(Scalars.of(x, m)).clip(-1.0 + symmetricOffset() / m, 1.0 - 1.0 / m);
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
    return true;
  }

  @Override
  public boolean isStochastic() {
    return PyLiteral.truthy(useStochasticRounding);
  }

  /** {@code 1 - 2^-(bits-1)}, as QKeras. */
  @Override
  public double max() {
    return 1.0 - 1.0 / levels();
  }

  /** {@code -1 + symmetric * 2^-(bits-1)}, as QKeras. */
  @Override
  public double min() {
    return -1.0 + symmetricOffset() / levels();
  }

  /** Signed codes {@code -2^(bits-1) + symmetric .. 2^(bits-1) - 1}, step {@code 2^-(bits-1)}. */
  @Override
  public Optional<IntegerSpec> integerSpec() {
    long m = 1L << (bits - 1);
    return Optional.of(new IntegerSpec(bits, true, 1.0 / m, 0, -m + symmetricOffset(), m - 1));
  }

  /** QKeras's keys: {@code bits, symmetric, use_stochastic_rounding, use_real_tanh}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("bits", bits);
    config.put("symmetric", symmetric);
    config.put("use_stochastic_rounding", useStochasticRounding);
    config.put("use_real_tanh", useRealTanh);
    return config;
  }

  /** QKeras's text, e.g. {@code quantized_tanh(4)}; flags after a skipped one take keywords. */
  @Override
  public String toString() {
    return new QKerasText(NAME)
        .positional(Integer.toString(bits))
        .optional(isStochastic(), "use_stochastic_rounding", QKerasText.intFlag(useStochasticRounding))
        .optional(PyLiteral.truthy(symmetric), "symmetric", QKerasText.intFlag(symmetric))
        .optional(PyLiteral.truthy(useRealTanh), "use_real_tanh", QKerasText.intFlag(useRealTanh))
        .toString();
  }
}

package org.qkeras4j.quant;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.qkeras4j.engine.Engines;

/**
 * Properties every quantizer owes, over edge values, rounding boundaries and seeded random inputs
 * ({@link QuantTesting}), for every bit width 1..32 of the bit-parameterized quantizers and for the
 * fixed ones, in inference and (for stochastic quantizers) training:
 *
 * <ul>
 *   <li>outputs lie within their bounds: QKeras's {@code min()}/{@code max()} where those are
 *       bounds; with an automatic alpha they are bounds in units of the scale the call computed;
 *       where QKeras's values are not bounds, the true bound (each such case says why);
 *   <li>quantizing twice changes nothing, for the quantizers QKeras makes projections (fixed-point
 *       and power-of-two grids with alpha None, sign and ternary patterns);
 *   <li>outputs never decrease as inputs grow (hard swish: only where the function itself rises);
 *   <li>finite inputs give finite outputs and gradients, 32 bits included;
 *   <li>at most {@code 2^bits} distinct outputs per channel, or the documented count;
 *   <li>the gradient is QKeras's straight-through rule for the family.
 * </ul>
 *
 * All inputs form one channel ({@code [n, 1]}), so per-channel scales are shared by all of them.
 */
class QuantizerPropertiesTest {

  /** How a quantizer's outputs are bounded, given the quantizer and the scale of the call. */
  interface Bound {
    double[] of(Quantizer q, double scale);
  }

  /** The expected gradient at input {@code x}, or NaN where the rule does not pin it down. */
  interface GradientRule {
    double at(float x);
  }

  /** One quantizer configuration and the properties QKeras gives it. */
  static final class Case {
    final String spec;
    final int bits;
    final boolean training;
    final Quantizer quantizer;
    Bound bound = (q, s) -> new double[] {q.min(), q.max()};
    boolean idempotent;
    double monotoneFrom = Double.NEGATIVE_INFINITY;
    long maxDistinct;
    GradientRule gradient;
    float[] boundaries = new float[0];
    /** The gradient is compared within this absolute tolerance (plus 1e-6 relative). */
    double gradientTolerance;

    Case(String spec, int bits, boolean training) {
      this.spec = spec;
      this.bits = bits;
      this.training = training;
      this.quantizer = Quantizers.parse(spec);
      this.maxDistinct = bits >= 63 ? Long.MAX_VALUE : 1L << bits;
    }

    Case scaledBound() {
      bound = (q, s) -> new double[] {q.min() * s, q.max() * s};
      return this;
    }

    Case bound(double lo, double hi) {
      bound = (q, s) -> new double[] {lo, hi};
      return this;
    }

    Case idempotent() {
      idempotent = true;
      return this;
    }

    Case distinct(long n) {
      maxDistinct = n;
      return this;
    }

    Case gradient(GradientRule rule) {
      gradient = rule;
      return this;
    }

    Case identityGradient() {
      return gradient(x -> 1.0);
    }

    Case tanhGradient() {
      gradientTolerance = 1e-6;
      return gradient(x -> {
        double t = Math.tanh(x);
        return 1 - t * t;
      });
    }

    Case boundaries(float[] points) {
      boundaries = points;
      return this;
    }

    Case monotoneFrom(double x) {
      monotoneFrom = x;
      return this;
    }

    boolean stochasticInThisMode() {
      return training && quantizer.isStochastic();
    }

    @Override
    public String toString() {
      return spec + (training ? " [training]" : "");
    }
  }

  /** Inputs, outputs, gradients and the recorded scale of one case, computed once. */
  record Run(float[] x, float[] y, float[] gradient, double scale, float[] twice) {}

  private static Run run(Case c) {
    float[] x = QuantTesting.sortedUnion(QuantTesting.edgeValues(), c.boundaries,
        QuantTesting.randomValues(c.spec.hashCode(), 240));
    Engines.get();
    Engines.seed(7);
    Shape shape = new Shape(x.length, 1);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray in = m.create(x, shape);
      in.setRequiresGradient(true);
      NDArray out;
      try (GradientCollector gc = Engines.get().newGradientCollector()) {
        out = c.quantizer.apply(in, c.training);
        gc.backward(out.sum());
      }
      float[] y = out.toFloatArray();
      float[] gradient = in.getGradient().toFloatArray();
      double scale = c.quantizer.lastScale().map(s -> s[0]).orElse(1.0);
      float[] twice = c.idempotent ? c.quantizer.apply(m.create(y, shape), c.training).toFloatArray() : null;
      return new Run(x, y, gradient, scale, twice);
    }
  }

  private static String where(Case c, float x) {
    return c + " (bits=" + c.bits + ") at input " + x;
  }

  // ---------------------------------------------------------------------------------------------
  // The properties, all checked on one run of each case

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void keepsTheQKerasProperties(Case c) {
    Run r = run(c);
    assertAll(c.toString(),
        () -> outputsStayWithinTheirBounds(c, r),
        () -> finiteInputsGiveFiniteOutputsAndGradients(c, r),
        () -> outputsNeverDecreaseAsInputsGrow(c, r),
        () -> quantizingTwiceChangesNothing(c, r),
        () -> outputsTakeAtMostTheDocumentedNumberOfValues(c, r),
        () -> gradientFollowsTheStraightThroughRuleOfTheFamily(c, r));
  }

  private static void outputsStayWithinTheirBounds(Case c, Run r) {
    double[] b = c.bound.of(c.quantizer, r.scale());
    double slack = 1e-6 * Math.max(Math.abs(b[0]), Math.abs(b[1]));
    for (int i = 0; i < r.x().length; i++) {
      float y = r.y()[i];
      if (!(y >= b[0] - slack && y <= b[1] + slack)) {
        fail(where(c, r.x()[i]) + ": output " + y + " outside [" + b[0] + ", " + b[1] + "]");
      }
    }
  }

  private static void finiteInputsGiveFiniteOutputsAndGradients(Case c, Run r) {
    for (int i = 0; i < r.x().length; i++) {
      if (!Float.isFinite(r.y()[i]) || !Float.isFinite(r.gradient()[i])) {
        fail(where(c, r.x()[i]) + ": output " + r.y()[i] + ", gradient " + r.gradient()[i]);
      }
    }
  }

  private static void outputsNeverDecreaseAsInputsGrow(Case c, Run r) {
    if (c.stochasticInThisMode()) {
      return; // random draws: only their mean follows the input
    }
    for (int i = 1; i < r.x().length; i++) {
      if (r.x()[i - 1] >= c.monotoneFrom && r.y()[i] < r.y()[i - 1]) {
        fail(where(c, r.x()[i]) + ": output " + r.y()[i] + " below " + r.y()[i - 1] + " at the smaller input "
            + r.x()[i - 1]);
      }
    }
  }

  private static void quantizingTwiceChangesNothing(Case c, Run r) {
    if (!c.idempotent) {
      return;
    }
    for (int i = 0; i < r.x().length; i++) {
      if (!QuantTesting.same(r.twice()[i], r.y()[i])) {
        fail(where(c, r.x()[i]) + ": q(x) = " + r.y()[i] + " but q(q(x)) = " + r.twice()[i]);
      }
    }
  }

  private static void outputsTakeAtMostTheDocumentedNumberOfValues(Case c, Run r) {
    Set<Float> values = new HashSet<>();
    for (float y : r.y()) {
      values.add(y + 0f);
    }
    if (values.size() > c.maxDistinct) {
      fail(c + " (bits=" + c.bits + "): " + values.size() + " distinct outputs, at most " + c.maxDistinct + " expected");
    }
  }

  private static void gradientFollowsTheStraightThroughRuleOfTheFamily(Case c, Run r) {
    if (c.gradient == null) {
      return;
    }
    for (int i = 0; i < r.x().length; i++) {
      float x = r.x()[i];
      double expected = c.gradient.at(x);
      double g = r.gradient()[i];
      if (!Double.isNaN(expected) && !(Math.abs(g - expected) <= c.gradientTolerance + 1e-6 * Math.abs(expected))) {
        fail(where(c, x) + ": gradient " + g + ", expected " + expected);
      }
    }
  }

  /** The three places where QKeras's min()/max() are not bounds of the outputs, pinned. */
  @Nested
  class WhereQKerasMinAndMaxAreNotBounds {
    private float apply(String spec, float x) {
      Engines.get();
      try (NDManager m = NDManager.newBaseManager()) {
        return Quantizers.parse(spec).apply(m.create(new float[] {x})).getFloat(0);
      }
    }

    @Test
    void quantizedPo2WithAMaxValueBetweenPowersOfTwoOutputsTheNextPowerAboveIt() {
      // max_value 1.5 caps the input, whose nearest power of two is 2 = 2^round(log2 1.5).
      assertEquals(1.5, Quantizers.parse("quantized_po2(4,1.5)").max());
      assertEquals(2f, apply("quantized_po2(4,1.5)", 100f));
    }

    @Test
    void quantizedReluPo2WithASlopeGoesBelowItsMin() {
      // min() = min(2^min_exp, -slope 2^(bits-1)) = -2, but -1000 * 0.25 maps to -2^max_exp.
      assertEquals(-2.0, Quantizers.parse("quantized_relu_po2(4,negative_slope=0.25)").min());
      assertEquals(-128f, apply("quantized_relu_po2(4,negative_slope=0.25)", -1000f));
    }

    @Test
    void quantizedReluPo2FlushesItsFloat32MinToZero() {
      // min() = 2^-128, a float32 subnormal that TensorFlow (and qkeras4j) flush to 0.
      assertEquals(Math.scalb(1.0, -128), Quantizers.parse("quantized_relu_po2(8)").min());
      assertEquals(0f, apply("quantized_relu_po2(8)", -1f));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The cases

  private static final List<Case> CASES = allCases();

  static Stream<Case> cases() {
    return CASES.stream();
  }

  private static List<Case> allCases() {
    List<Case> out = new ArrayList<>();
    for (int b = 1; b <= 32; b++) {
      fixedPoint(out, b);
      activations(out, b);
      powersOfTwo(out, b);
    }
    fixedOnes(out);
    return List.copyOf(out);
  }

  /** quantized_bits and quantized_linear: identity (or clip-range) gradient, grid steps 2^(i-u). */
  private static void fixedPoint(List<Case> out, int b) {
    for (String form : List.of("quantized_bits(%d,0,0)", "quantized_bits(%d,0,1)", "quantized_bits(%d,%d,1)",
        "quantized_bits(%d,0,0,keep_negative=False)")) {
      boolean keepNegative = !form.contains("keep_negative=False");
      int integer = form.contains(",%d,1") ? b / 2 : 0;
      double step = Math.scalb(1.0, integer - (b - (keepNegative ? 1 : 0)));
      out.add(new Case(String.format(form, b, b / 2), b, false).idempotent().identityGradient()
          .boundaries(gridBoundaries(step, b - (keepNegative ? 1 : 0))));
    }
    // An automatic alpha: QKeras's min()/max() bound the outputs in units of the call's scale.
    out.add(new Case("quantized_bits(" + b + ",0,1,alpha='auto_po2')", b, false).scaledBound().identityGradient());
    out.add(new Case("quantized_bits(" + b + ",0,1,alpha='auto')", b, false).scaledBound().identityGradient());
    // Stochastic rounding in training keeps the grid (an integer rounds to itself) and the STE.
    out.add(new Case("quantized_bits(" + b + ",0,1,use_stochastic_rounding=True)", b, true).idempotent()
        .identityGradient());

    Case linear = new Case("quantized_linear(" + b + ",0)", b, false).idempotent();
    QuantizedLinear ql = (QuantizedLinear) linear.quantizer;
    float scale = (float) ql.dataTypeScale();
    double lo = b == 1 ? -0.5 : -Math.scalb(1.0, b - 1) + 1;
    double hi = b == 1 ? 0.5 : Math.scalb(1.0, b - 1) - 1;
    // The clip passes no gradient outside its range (qnoise_factor 1): 1 inside, 0 outside.
    out.add(linear.gradient(x -> {
      float scaled = x / scale;
      return scaled >= (float) lo && scaled <= (float) hi ? 1.0 : 0.0;
    }).boundaries(gridBoundaries(scale, b - 1)));
    out.add(new Case("quantized_linear(" + b + ",0,alpha='auto_po2')", b, false).scaledBound());
    if (b >= 2) {
      featuremap(out, b);
    }
  }

  /**
   * quantized_bits_featuremap (alpha='auto' only, 2..32 bits): codes {@code -(2^(b-1) - 1) ..
   * 2^(b-1) - 1}, so at most {@code 2^b - 1} values. Its min()/max() (±1, copied from
   * quantized_bits) are not bounds: the outputs follow the inputs. With {@code s = max|x| /
   * (2^(b-1) - 1)} (the recorded scale) every output lies within one step of the input range
   * {@code [-max|x|, max|x|]}. The affine map is rebuilt from each call's range, so a second pass
   * may move values (no idempotence). The gradient is the straight-through identity, except for
   * inputs below Keras's epsilon (1e-7), which are zeroed before quantizing and get none.
   */
  private static void featuremap(List<Case> out, int b) {
    Case c = new Case("quantized_bits_featuremap(" + b + ",alpha='auto')", b, false);
    long maxCode = ((QuantizedBitsFeaturemap) c.quantizer).maxCode();
    c.bound = (q, s) -> new double[] {-s * (maxCode + 1), s * (maxCode + 1)};
    out.add(c.distinct(2 * maxCode + 1).gradient(x -> {
      double a = Math.abs(x);
      return a > 1.01e-7 ? 1.0 : a < 0.99e-7 ? 0.0 : Double.NaN;
    }));
  }

  /** Midpoints of a fixed-point grid of the given step near zero and near the clip points. */
  private static float[] gridBoundaries(double step, int magnitudeBits) {
    double top = (Math.scalb(1.0, magnitudeBits) - 1) * step;
    return QuantTesting.sortedUnion(QuantTesting.midpoints(0, step, 6), QuantTesting.midpoints(top, step, 2),
        QuantTesting.midpoints(-top, step, 2));
  }

  /** quantized_relu, quantized_ulaw, quantized_tanh, quantized_sigmoid, quantized_hswish. */
  private static void activations(List<Case> out, int b) {
    // quantized_relu: the clipped ReLU's gradient (0 at and below zero, 0 above the clip).
    for (int integer : new int[] {0, 2}) {
      double step = Math.scalb(1.0, integer - b);
      float top = (float) (Math.scalb(1.0, integer) - step);
      out.add(new Case("quantized_relu(" + b + "," + integer + ")", b, false).idempotent()
          .gradient(x -> x > 0 && x <= top ? 1.0 : 0.0)
          .boundaries(QuantTesting.sortedUnion(QuantTesting.midpoints(0, step, 6), QuantTesting.midpoints(top, step, 2))));
    }
    // A leaky ReLU: slope 0.25 below zero (QKeras's leaky_relu gradient at 0 is the slope too).
    float leakyTop = (float) (1 - Math.scalb(1.0, -(b - 1)));
    out.add(new Case("quantized_relu(" + b + ",0,negative_slope=0.25)", b, false)
        .gradient(x -> x <= 0 ? 0.25 : x <= leakyTop ? 1.0 : 0.0));
    float stochasticTop = (float) (1 - Math.scalb(1.0, -b));
    out.add(new Case("quantized_relu(" + b + ",0,use_stochastic_rounding=True)", b, true).idempotent()
        .gradient(x -> x > 0 && x <= stochasticTop ? 1.0 : 0.0));

    out.add(ulaw(b));
    out.add(tanhOrSigmoid("quantized_tanh(" + b + ")", b, true, false));
    out.add(tanhOrSigmoid("quantized_tanh(" + b + ",symmetric=True)", b, true, true));
    out.add(tanhOrSigmoid("quantized_sigmoid(" + b + ")", b, false, false));
    out.add(tanhOrSigmoid("quantized_sigmoid(" + b + ",symmetric=True)", b, false, true));

    // The hard swish falls below -relu_shift/2 = -1.5: monotone only above. Its gradient is the
    // hard swish's, (gate + x dgate) / 6 with gate = min(relu(x + 3), 6).
    // Inputs above float's largest value / 6 (2^124 here, a power of two below that) count as 2^124, gradient 0.
    Case hswish = new Case("quantized_hswish(" + b + ",2)", b, false).monotoneFrom(-1.5);
    hswish.gradientTolerance = 1e-6;
    out.add(hswish.gradient(x -> {
      if (x > 0x1p124f) {
        return 0.0;
      }
      float shifted = x + 3f;
      float gate = Math.min(Math.max(shifted, 0f), 6f);
      double dgate = shifted > 0 && shifted <= 6f ? 1 : 0;
      return (gate + x * dgate) / 6.0;
    }));
  }

  /**
   * quantized_tanh ({@code 2 hard_sigmoid(x) - 1}) and quantized_sigmoid with the hard sigmoid:
   * the gradient is the hard sigmoid's where neither its clip nor the final clip to {@code [lo,
   * hi]} is active, 0 where one is (computed in float32 as the engine does).
   */
  private static Case tanhOrSigmoid(String spec, int b, boolean tanh, boolean symmetric) {
    float m = (float) Math.scalb(1.0, tanh ? b - 1 : b);
    float lo = (float) ((tanh ? -1.0 : 0.0) + (symmetric ? 1.0 / m : 0.0));
    float hi = (float) (1.0 - 1.0 / m);
    Case c = new Case(spec, b, false);
    float step = tanh ? 1f / m : 2f / m;
    return c.boundaries(QuantTesting.midpoints(tanh ? 0 : -1, step, 6)).gradient(x -> {
      float t = x * 0.5f + 0.5f;
      float h = Math.min(Math.max(t, 0f), 1f);
      float p = tanh ? h * 2f - 1f : h;
      float v = (float) Math.rint(p * m) / m;
      boolean inside = t >= 0f && t <= 1f && v >= lo && v <= hi;
      return inside ? (tanh ? 1.0 : 0.5) : 0.0;
    });
  }

  /**
   * quantized_ulaw: the u-law curve's derivative through the hard sigmoid, the rounding
   * straight-through: {@code u / ((1 + u |r|) ln(1 + u))} where {@code r}, the rounded sigmoid
   * mapped to [-1, 1], is not 0 and the final clip is not active. Inputs where the companded
   * value lies on a clip point to within float rounding are not checked.
   */
  private static Case ulaw(int b) {
    float m = (float) Math.scalb(1.0, b - 1);
    double u = 255;
    double hi = 1.0 - 1.0 / m;
    double lo = -1.0;
    Case c = new Case("quantized_ulaw(" + b + ",0)", b, false);
    c.gradientTolerance = 1e-6;
    return c.distinct(Math.min(c.maxDistinct, (long) m + 1)).gradient(x -> {
      float t = x * 0.5f + 0.5f;
      float h = Math.min(Math.max(t, 0f), 1f);
      float r = (float) Math.rint(h * m) / m * 2f - 1f;
      double companded = Math.signum(r) * Math.log1p(u * Math.abs(r)) / Math.log1p(u);
      if (Math.abs(companded - hi) < 1e-5 || Math.abs(companded - lo) < 1e-5) {
        return Double.NaN;
      }
      boolean inside = t >= 0f && t <= 1f && r != 0 && companded >= lo && companded <= hi;
      return inside ? u / ((1 + u * Math.abs(r)) * Math.log1p(u)) : 0.0;
    });
  }

  /** quantized_po2 and quantized_relu_po2: see the class comment on their bounds and counts. */
  private static void powersOfTwo(List<Case> out, int b) {
    // quantized_po2 needs a bit for the exponent's sign unless max_value <= 1 (one bit: rejected).
    if (b >= 2) {
      out.add(po2("quantized_po2(" + b + ")", b, null, false, 0));
      // max_value=1.5 is not a power of two: values reach 2 = 2^round(log2 1.5), above QKeras's
      // max() = 1.5; the true bound is 2^min(max_exp, round(log2 max_value)).
      out.add(po2("quantized_po2(" + b + ",1.5)", b, 1.5, false, 0));
    }
    out.add(po2("quantized_po2(" + b + ",1)", b, 1.0, false, 0));
    out.add(po2("quantized_relu_po2(" + b + ")", b, null, true, 0));
    out.add(po2("quantized_relu_po2(" + b + ",4)", b, 4.0, true, 0));
    out.add(po2("quantized_relu_po2(" + b + ",negative_slope=0.25)", b, null, true, 0.25));
  }

  /**
   * A power-of-two case. Bounds: {@code ±2^e_top} with {@code e_top} the largest reachable
   * exponent ({@code max_exp}, lowered by {@code round(log2 max_value)}, and by float32's largest
   * power of two 2^127); the ReLU's lower bound is 0 (not QKeras's {@code 2^min_exp}, which float32
   * flushes to 0 below 2^-126) or, with a slope, {@code -2^e_top} (QKeras's {@code min()} is
   * {@code -slope 2^(bits-1)}, not a bound). Count: one value per reachable exponent, for each
   * sign; with {@code max_value <= 1} the exponent has no sign bit and {@code 2^(bits-1) + 1}
   * exponents are reachable, so the count can exceed {@code 2^bits} by 2 (QKeras's own range).
   */
  private static Case po2(String spec, int b, Double maxValue, boolean relu, double slope) {
    Case c = new Case(spec, b, false);
    double minExp;
    double maxExp;
    if (c.quantizer instanceof QuantizedPo2 p) {
      minExp = p.minExponent();
      maxExp = p.maxExponent();
    } else {
      minExp = ((QuantizedReluPo2) c.quantizer).minExponent();
      maxExp = ((QuantizedReluPo2) c.quantizer).maxExponent();
    }
    double top = maxValue == null ? maxExp : Math.min(maxExp, Math.rint(Math.log(maxValue) / Math.log(2)));
    top = Math.min(top, 127);
    double reachable = top - Math.max(minExp, -150) + 2; // exponents, plus 0 from flushing
    double limit = Math.scalb(1.0, (int) top);
    boolean signs = !relu || slope != 0;
    c.distinct((long) Math.min(Long.MAX_VALUE / 4, reachable * (signs ? 2 : 1)));
    c.bound(relu && slope == 0 ? 0 : -limit, limit);
    c.idempotent = slope == 0;
    c.boundaries(QuantTesting.sortedUnion(new float[] {(float) Math.sqrt(2), (float) Math.sqrt(8), (float) Math.sqrt(0.5)},
        new float[] {Math.nextUp((float) Math.sqrt(2)), Math.nextDown((float) Math.sqrt(2))}));
    if (!relu) {
      return c.identityGradient();
    }
    // The ReLU's gradient: the slope at and below 0, 1 up to max_value, 0 above it.
    float cap = maxValue == null ? Float.POSITIVE_INFINITY : maxValue.floatValue();
    return c.gradient(x -> x <= 0 ? slope : x <= cap ? 1.0 : 0.0);
  }

  /** binary, ternary, stochastic_binary, stochastic_ternary, bernoulli. */
  private static void fixedOnes(List<Case> out) {
    // alpha=None: sign with the gradient of tanh; a fixed alpha or auto: identity gradient.
    out.add(new Case("binary()", 1, false).bound(-1, 1).idempotent().distinct(2).tanhGradient());
    out.add(new Case("binary(alpha=2.0)", 1, false).bound(-2, 2).idempotent().distinct(2).identityGradient());
    out.add(new Case("binary(alpha='auto_po2')", 1, false).scaledBound().distinct(2).identityGradient());
    // use_01: 0 maps to 1, so q(q(x)) is 1 where q(x) was 0: not a projection.
    out.add(new Case("binary(use_01=True)", 1, false).bound(0, 1).distinct(2).tanhGradient());
    // Stochastic rounding in training differentiates f * round(x / f) with f from max|x|: no
    // simple rule, so only values are checked.
    out.add(new Case("binary(alpha='auto',use_stochastic_rounding=True)", 1, true).scaledBound().distinct(2));
    out.add(new Case("ternary()", 2, false).bound(-1, 1).idempotent().distinct(3).tanhGradient()
        .boundaries(QuantTesting.midpoints(0, 0.66, 1)));
    out.add(new Case("ternary(alpha=1.0,threshold=0.5)", 2, false).bound(-1, 1).idempotent().distinct(3)
        .identityGradient());
    out.add(new Case("ternary(alpha='auto_po2')", 2, false).scaledBound().distinct(3).identityGradient());
    out.add(new Case("ternary(alpha='auto',use_stochastic_rounding=True)", 2, true).scaledBound().distinct(3)
        .identityGradient());
    for (boolean training : new boolean[] {false, true}) {
      // In inference the stochastic quantizers are binary/ternary (with their gradients).
      Case sb = new Case("stochastic_binary()", 1, training).bound(-1, 1).distinct(2);
      out.add(training ? sb.identityGradient() : sb.idempotent().tanhGradient());
      out.add(new Case("stochastic_binary(alpha='auto_po2')", 1, training).scaledBound().distinct(2).identityGradient());
      out.add(new Case("stochastic_ternary(alpha='auto_po2')", 2, training).scaledBound().distinct(3).identityGradient());
      // 0 maps to 1 in inference, so it is not a projection either.
      out.add(new Case("bernoulli()", 1, training).bound(0, 1).distinct(2).identityGradient());
      out.add(new Case("bernoulli(alpha='auto')", 1, training).scaledBound().distinct(2).identityGradient());
    }
  }
}

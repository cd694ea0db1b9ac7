package org.qkeras4j.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.qkeras4j.quant.FixedPointTesting.apply;
import static org.qkeras4j.quant.FixedPointTesting.applyTraining;
import static org.qkeras4j.quant.FixedPointTesting.assertValues;
import static org.qkeras4j.quant.FixedPointTesting.floats;
import static org.qkeras4j.quant.FixedPointTesting.gradient;
import static org.qkeras4j.quant.FixedPointTesting.jsonRoundTrip;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qkeras4j.engine.Engines;

class QuantizedBitsTest {

  private static Quantizer q(String spec) {
    return Quantizers.parse(spec);
  }

  @Nested
  class Serialization {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "quantized_bits(4,0,1)",
        "quantized_bits(8,3,1)",
        "quantized_bits(8,0,1,alpha=1.0)",
        "quantized_bits(2,1,1,alpha=1.0)",
        "quantized_bits(6,2,0,keep_negative=False)",
        "quantized_bits(4,0,1,alpha='auto_po2',use_stochastic_rounding=1)",
        "quantized_bits(4,4,1,alpha='auto')",
        "quantized_bits(31,31,1,alpha='auto')",
        "quantized_bits(4,0,1,alpha=[1.0, 0.5])",
        "quantized_bits(16,16,1,alpha='auto',scale_axis=2)",
        "quantized_bits(4,0,1,qnoise_factor=0.5,use_ste=False)",
        "quantized_bits(4,0,1,alpha='auto_po2',scale_axis=1,elements_per_scale=2,min_po2_exponent=-8,max_po2_exponent=0)",
        "quantized_bits(4,0,1,alpha='auto_po2',post_training_scale=[[1.0, 2.0]])",
    })
    void toStringIsQKerasTextAndParsesBackToAnEqualQuantizer(String text) {
      Quantizer parsed = q(text);
      assertEquals(text, parsed.toString());
      assertEquals(parsed, q(parsed.toString()));
    }

    @Test
    void toStringLeavesOutDefaultsAndKeywordsAsQKerasDoes() {
      assertEquals("quantized_bits(8,1,0)", q("quantized_bits(8,1)").toString());
      assertEquals("quantized_bits(8,0,0)", q("quantized_bits").toString());
      assertEquals("quantized_bits(4,0,1,alpha=1)", q("quantized_bits(bits=4, integer=0, symmetric=True, alpha=1)").toString());
      assertEquals("quantized_bits(3,0,1,use_stochastic_rounding=1)",
          q("quantized_bits(3, 0, True, True, None, True)").toString());
    }

    @Test
    void stringAlphaForcesSymmetricAsTheQKerasModNotebookDescribes() {
      // "quantized_bits(4,4,0,0,alpha='auto') will be treated by QKeras as quantized_bits(4,4,1,1,alpha='auto')"
      Quantizer q = q("quantized_bits(4,4,0,0,alpha='auto')");
      assertEquals("quantized_bits(4,4,1,keep_negative=False,alpha='auto')", q.toString());
      assertEquals(true, q.getConfig().get("symmetric"), "QKeras sets symmetric = True");
      float[] x = {-9f, -3.2f, 0.5f, 6f, 14f};
      assertValues(apply(q("quantized_bits(4,4,1,1,alpha='auto')"), x), apply(q, x), x, "keep_negative has no effect on auto values");
    }

    @Test
    void unquotedAlphaOfOlderQKerasPrintoutsParsesToTheQuotedForm() {
      Quantizer q = q("quantized_bits(4,0,1,alpha=auto_po2,use_stochastic_rounding=1)");
      assertEquals("quantized_bits(4,0,1,alpha='auto_po2',use_stochastic_rounding=1)", q.toString());
    }

    @Test
    void configHasQKerasKeysInQKerasOrder() {
      Map<String, Object> c = q("quantized_bits(4,0,1)").getConfig();
      assertEquals(List.of("bits", "integer", "symmetric", "alpha", "keep_negative", "use_stochastic_rounding",
          "qnoise_factor", "post_training_scale"), List.copyOf(c.keySet()));
      assertEquals(4, c.get("bits"));
      assertEquals(1L, c.get("symmetric"), "as given");
      assertEquals(true, c.get("keep_negative"));
      assertEquals(1.0, c.get("qnoise_factor"));
      assertEquals(null, c.get("alpha"));
    }

    @Test
    void configKeepsNonDefaultArgumentsQKerasWouldDrop() {
      Map<String, Object> c = q("quantized_bits(4,0,1,alpha='auto_po2',scale_axis=1,use_ste=False)").getConfig();
      assertEquals(1L, c.get("scale_axis"));
      assertEquals(false, c.get("use_ste"));
      assertFalse(c.containsKey("var_name"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "quantized_bits(4,0,1)",
        "quantized_bits(8,0,1,alpha=1.0)",
        "quantized_bits(4,2,alpha='auto_po2')",
        "quantized_bits(4,0,1,alpha=[1.0, 0.5],keep_negative=False)",
        "quantized_bits(4,0,1,alpha='auto_po2',scale_axis=[1, 2],elements_per_scale=2)",
        "quantized_bits(4,0,1,alpha='auto',post_training_scale=[[0.5, 0.25]])",
        "quantized_bits(4,0,1,qnoise_factor=0.25,var_name='k',use_variables=True)",
    })
    void configRoundTripsThroughJsonToAnEqualQuantizer(String text) throws Exception {
      Quantizer q = q(text);
      assertEquals(q, Quantizers.fromConfig(Quantizers.toConfig(q)));
      assertEquals(q, jsonRoundTrip(q));
    }

    @Test
    void classNameIsAnAlias() {
      assertEquals(q("quantized_bits(4,0,1)"), q("QuantizedBits(4,0,1)"));
      assertEquals("quantized_bits", q("QuantizedBits(4,0,1)").name());
    }

    @Test
    void quantizersDifferingOnlyInScaleAxisAreNotEqual() {
      assertNotEquals(q("quantized_bits(4,0,1,alpha='auto')"), q("quantized_bits(4,0,1,alpha='auto',scale_axis=0)"));
    }
  }

  @Nested
  class Values {
    @Test
    void signedSixBitsWithTwoIntegerBitsClipsAtThreePointEightSevenFive() {
      // QKeras's test_quantized_bits parameter set 1: step 2^-3, codes -32..31.
      float[] x = {-3f, -2f, -1f, -0.5f, 0f, 0.5f, 1f, 4f, 10f};
      assertValues(floats(-3, -2, -1, -0.5, 0, 0.5, 1, 3.875, 3.875), apply(q("quantized_bits(6,2,0,1)"), x), x, "6,2,0");
    }

    @Test
    void symmetricSixBitsClipsBothSidesAtThreePointEightSevenFive() {
      float[] x = {-10f, -4f, -1f, -0.5f, 0f, 0.5f, 1f, 4f, 10f};
      assertValues(floats(-3.875, -3.875, -1, -0.5, 0, 0.5, 1, 3.875, 3.875), apply(q("quantized_bits(6,2,1,1)"), x), x, "6,2,1");
    }

    @Test
    void roundsHalfToEvenOnTheCodeGrid() {
      // 4 bits, integer 0: step 1/8. 0.1875 = 1.5 steps -> 2 steps; 0.3125 = 2.5 steps -> 2 steps.
      float[] x = {0.1875f, 0.3125f, -0.1875f, -0.3125f, 0.3f};
      assertValues(floats(0.25, 0.25, -0.25, -0.25, 0.25), apply(q("quantized_bits(4,0,1)"), x), x, "half to even");
    }

    @Test
    void oneSignedBitIsTheSignWithZeroMappedToPlusOne() {
      float[] x = {-2f, -0.1f, 0f, 0.3f};
      assertValues(floats(-1, -1, 1, 1), apply(q("quantized_bits(1,0)"), x), x, "1 bit");
      assertValues(floats(-0.5, -0.5, 0.5, 0.5), apply(q("quantized_bits(1,0,alpha=0.5)"), x), x, "1 bit, alpha 0.5");
    }

    @Test
    void fixedAlphaListScalesEachLastAxisChannel() {
      float[] x = {0.3f, 0.3f, -1f, 1f};
      // codes: round(8x) clipped to -7..7 -> 2, 2, -7, 7; times 1/8; columns times 1 and 2.
      assertValues(floats(0.25, 0.5, -0.875, 1.75), apply(q("quantized_bits(4,0,1,alpha=[1.0, 2.0])"), x, 2, 2), x, "alpha list");
    }

    @Test
    void fixedAlphaListOfTheWrongLengthNamesTheChannels() {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> apply(q("quantized_bits(4,0,1,alpha=[1.0, 2.0, 3.0])"), new float[4], 2, 2));
      assertEquals("quantized_bits: alpha has 3 values, one per channel, but the input's last axis has 2 channels"
          + " (input shape (2, 2))", e.getMessage());
    }

    @Test
    void autoScaleIsPerChannelAndRoundsHalfAwayFromZero() {
      // Columns: max|x| 0.875 and 1.75 -> scales 2*max/14 = 0.125 and 0.25 (codes up to 7).
      // 0.3125 / 0.125 = 2.5 -> 3 (away from zero), -0.6 / 0.25 = -2.4 -> -2.
      QuantizedBits q = (QuantizedBits) q("quantized_bits(4,0,alpha='auto')");
      float[] x = {0.3125f, 1.75f, -0.875f, -0.6f};
      assertValues(floats(0.375, 1.75, -0.875, -0.5), apply(q, x, 2, 2), x, "auto");
      assertArrayEquals(new double[] {1.0, 2.0}, q.lastScale().orElseThrow(), "scale * 2^(bits-1)");
    }

    @Test
    void autoPo2ScaleFollowsScaleAxis() {
      float[] x = {0.3f, 5f, -0.9f, 2f};
      // Default: one scale per column. Column 0: 2*0.9/14 -> 2^-3, least squares keeps it; column 1: 1.
      QuantizedBits perColumn = (QuantizedBits) q("quantized_bits(4,0,alpha='auto_po2')");
      assertValues(floats(0.25, 5, -0.875, 2), apply(perColumn, x, 2, 2), x, "per column");
      assertArrayEquals(new double[] {1.0, 8.0}, perColumn.lastScale().orElseThrow());
      // scale_axis=0: one scale per row. Row 0: 2^0 (0.3 rounds to code 0); row 1: 2^-2.
      QuantizedBits perRow = (QuantizedBits) q("quantized_bits(4,0,alpha='auto_po2',scale_axis=0)");
      assertValues(floats(0, 5, -1, 1.75), apply(perRow, x, 2, 2), x, "per row");
      assertArrayEquals(new double[] {8.0, 2.0}, perRow.lastScale().orElseThrow());
    }

    @Test
    void autoPo2OnAConvKernelKeepsOneScalePerOutputChannel() {
      // A [kh, kw, in, out] = [2, 1, 1, 2] kernel reduces over three axes: same columns as above.
      QuantizedBits q = (QuantizedBits) q("quantized_bits(4,0,alpha='auto_po2')");
      float[] x = {0.3f, 5f, -0.9f, 2f};
      assertValues(floats(0.25, 5, -0.875, 2), apply(q, x, 2, 1, 1, 2), x, "rank 4");
      assertArrayEquals(new double[] {1.0, 8.0}, q.lastScale().orElseThrow());
    }

    @Test
    void elementsPerScaleGroupsChannelsForTheLeastSquaresScale() {
      // Four channels in groups of two: the first scales (2^-5, 2^-3, 1, 2^-2) become
      // (2^-4, 2^-4, 2^-1, 2^-1) after one round and settle at (2^-3, 2^-3, 2^-1, 2^-1).
      QuantizedBits q = (QuantizedBits) q("quantized_bits(4,0,alpha='auto_po2',scale_axis=1,elements_per_scale=2)");
      float[] x = {0.3f, 0.9f, 5f, 2f};
      assertValues(floats(0.25, 0.875, 3.5, 2), apply(q, x, 1, 4), x, "grouped");
      assertArrayEquals(new double[] {1, 1, 4, 4}, q.lastScale().orElseThrow());
    }

    @Test
    void po2ExponentBoundsClipTheLeastSquaresScale() {
      QuantizedBits q = (QuantizedBits) q("quantized_bits(4,0,alpha='auto_po2',max_po2_exponent=-2)");
      float[] x = {0.3f, 5f, -0.9f, 2f};
      assertValues(floats(0.25, 1.75, -0.875, 1.75), apply(q, x, 2, 2), x, "column 1 held at 2^-2");
      assertArrayEquals(new double[] {1.0, 2.0}, q.lastScale().orElseThrow());
    }

    @Test
    void postTrainingScaleIsUsedAsTheFrozenScale() {
      QuantizedBits q = (QuantizedBits) q("quantized_bits(4,0,alpha='auto_po2',post_training_scale=[[1.0, 2.0]])");
      float[] x = {0.3f, 5f, -0.9f, 2f};
      assertValues(floats(0.25, 1.75, -0.875, 1.75), apply(q, x, 2, 2), x, "frozen scale");
      assertArrayEquals(new double[] {1.0, 2.0}, q.lastScale().orElseThrow());
    }

    @Test
    void autoPo2OnAnAllZeroChannelGivesZerosAndAFiniteScale() {
      QuantizedBits q = (QuantizedBits) q("quantized_bits(4,0,alpha='auto_po2')");
      float[] x = {0f, 1f, 0f, -0.5f};
      float[] y = apply(q, x, 2, 2);
      assertEquals(0f, y[0]);
      assertEquals(0f, y[2]);
      for (double s : q.lastScale().orElseThrow()) {
        assertTrue(s > 0 && Double.isFinite(s), "scale " + s);
      }
      float[] z = apply(q("quantized_bits(4,0,alpha='auto')"), x, 2, 2);
      assertEquals(0f, z[0]);
      assertEquals(0f, z[2]);
    }

    @Test
    void qnoiseFactorMixesFloatAndQuantizedValues() {
      float[] x = {0.6f, -0.6f, 2f};
      // quantized: 0.5, -0.5, 1.75 (4 bits, 1 integer bit, step 1/4)
      assertValues(floats(0.6, -0.6, 2), apply(q("quantized_bits(4,1,1,qnoise_factor=0.0)"), x), x, "qnoise 0");
      assertValues(floats(0.5, -0.5, 1.75), apply(q("quantized_bits(4,1,1,qnoise_factor=1.0)"), x), x, "qnoise 1");
      assertValues(new float[] {0.55f, -0.55f, 1.875f}, apply(q("quantized_bits(4,1,1,qnoise_factor=0.5)"), x), x, "qnoise 0.5");
      assertValues(new float[] {0.55f, -0.55f, 1.875f}, apply(q("quantized_bits(4,1,1,qnoise_factor=0.5,use_ste=False)"), x), x,
          "qnoise 0.5 without STE has the same value");
    }

    @Test
    void thirtyTwoBitsGiveNoNaNAndQuantizeCorrectly() {
      float[] x = {0.3f, -0.7f, 2f, -2f, 1e-12f, 123.5f};
      float[] y = apply(q("quantized_bits(32,0,1)"), x);
      // Codes have 31 fraction bits: float32 inputs in [-1, 1) are already on the grid.
      assertValues(new float[] {0.3f, -0.7f, 1f, -1f, 0f, 1f}, y, x, "32 bits");
      // The QKeras-Mod notebook's bias quantizer (31 integer bits; it saw nan beyond 31 bits). The
      // auto scale maps max|x| = 3e9 to the largest code 2^31 - 1, one step is 3e9 / (2^31 - 1).
      float[] big = {1.5e9f, -3e9f, 7f, 0.25f};
      float[] yb = apply(q("quantized_bits(32,31,1,alpha='auto')"), big);
      assertEquals(1.5e9f, yb[0]);
      assertEquals(-3e9f, yb[1]);
      assertEquals(5 * 3e9 / (Math.pow(2, 31) - 1), yb[2], 1e-5, "7 is 5.01 steps");
      assertEquals(0f, yb[3]);
      for (float v : apply(q("quantized_bits(32,32,0)"), big)) {
        assertTrue(Float.isFinite(v), "finite " + v);
      }
    }

    @Test
    void integerBitsBeyondFloat32RangeGiveNoNaN() {
      // A step of 2^193 (QKeras: 2^200 is inf in float32, and inf * 0 = NaN): every float32 rounds to 0.
      float[] x = {1e30f, -3e38f, 5f};
      assertValues(floats(0, 0, 0), apply(q("quantized_bits(8,200,1)"), x), x, "integer 200");
      // QKeras's own case: 8 bits, 100 integer bits (step 2^93), still computed in float32.
      float[] y = {1.25e29f, 3f};
      float[] r = apply(q("quantized_bits(8,100,1)"), y);
      assertEquals(13 * Math.scalb(1f, 93), r[0]);
      assertEquals(0f, r[1]);
      // float64 holds it: 2e58 is 1.59 steps, code 2.
      assertEquals(2 * Math.scalb(1.0, 193), apply(q("quantized_bits(8,200,1)"), new double[] {2e58})[0], "float64");
    }

    @Test
    void thirtyTwoBitCodesAreExactInFloat64() {
      // (2^31 - 1) / 2^31 is not a float32; QKeras's float32 clip bound m - 1 rounds to 2^31.
      double[] y = apply(q("quantized_bits(32,0,1)"), new double[] {2.0, -2.0, 0.3});
      assertValues(new double[] {(Math.pow(2, 31) - 1) / Math.pow(2, 31), -(Math.pow(2, 31) - 1) / Math.pow(2, 31),
          Math.rint(0.3 * Math.pow(2, 31)) / Math.pow(2, 31)}, y, "32 bits, float64");
    }

    @Test
    void inputsFarOutsideTheRangeClipInsteadOfCancelling() {
      // QKeras's x + (q - x) in float32 returns 0 for x = 1e20: q is lost next to x.
      float[] x = {1e20f, -1e20f, 3e38f};
      assertValues(floats(127 / 128.0, -1, 127 / 128.0), apply(q("quantized_bits(8,0,0)"), x), x, "clipped");
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {12, 16, 20, 24, 25, 28, 31, 32})
    void wideQuantizersMatchAnExactDecimalOracle(int bits) {
      int integer = 3;
      Quantizer q = q("quantized_bits(" + bits + "," + integer + ",0)");
      double step = Math.scalb(1.0, integer - bits + 1);
      double[] x = {step * 1000.5, -step * 1000.5, step * 1001.5, Math.nextDown(step * 2.5), Math.nextUp(step * 2.5),
          7.999999, 8.5, -8.5, -8.0 + step / 2, 0.1, -0.1, 3.14159265358979};
      double[] y = apply(q, x);
      for (int i = 0; i < x.length; i++) {
        assertEquals(oracle(x[i], bits, integer), y[i], "x=" + x[i] + " bits=" + bits);
      }
    }

    /** clip(round_half_even(x 2^(b-1-i)), -2^(b-1), 2^(b-1) - 1) 2^(i-b+1), in decimal. */
    private double oracle(double x, int bits, int integer) {
      BigDecimal unit = new BigDecimal(2).pow(bits - 1 - integer, MathContext.UNLIMITED);
      BigDecimal codes = new BigDecimal(x).multiply(unit).setScale(0, RoundingMode.HALF_EVEN);
      BigDecimal hi = new BigDecimal(2).pow(bits - 1).subtract(BigDecimal.ONE);
      BigDecimal lo = new BigDecimal(2).pow(bits - 1).negate();
      codes = codes.max(lo).min(hi);
      return codes.divide(unit).doubleValue();
    }

    @Test
    void stochasticRoundingOnlyInTrainingAndReproducibleWithTheEngineSeed() {
      Quantizer q = q("quantized_bits(4,0,1,use_stochastic_rounding=True)");
      assertTrue(q.isStochastic());
      float[] x = new float[20000];
      java.util.Arrays.fill(x, 0.3f);
      float[] inference = apply(q, x);
      for (float v : inference) {
        assertEquals(0.25f, v, "inference rounds to nearest");
      }
      Engines.seed(7);
      float[] a = applyTraining(q, x);
      Engines.seed(7);
      float[] b = applyTraining(q, x);
      assertArrayEquals(a, b, "same seed, same draws");
      double sum = 0;
      for (float v : a) {
        assertTrue(v == 0.25f || v == 0.375f, "floor or ceil, got " + v);
        sum += v;
      }
      // 0.3 = 2.4 steps: up with probability 0.4, so the mean is 0.3 (std of the mean < 0.0005).
      assertEquals(0.3, sum / x.length, 0.003);
      assertFalse(q("quantized_bits(4,0,1,alpha='auto',use_stochastic_rounding=True)").isStochastic(),
          "QKeras's auto path ignores stochastic rounding");
    }

    @Test
    void minAndMaxAreQKerasBoundsNotTheLargestLevel() {
      Quantizer q = q("quantized_bits(4,2,1)");
      assertEquals(4.0, q.max());
      assertEquals(-4.0, q.min());
      assertEquals(1.0, q("quantized_bits(4,-2,1)").max());
      assertEquals(0.0, q("quantized_bits(4,2,keep_negative=False)").min());
      assertEquals(-1.0, q("quantized_bits(1,5)").min());
      assertEquals(Math.pow(2, 200), q("quantized_bits(8,200)").max(), "no float32 overflow");
    }

    @Test
    void rangeListsValuesInTwosComplementCodeOrder() {
      assertArrayEquals(new double[] {0, 0.5, 1, 1.5, -2, -1.5, -1, -0.5}, q("quantized_bits(3,1)").range().orElseThrow());
      assertArrayEquals(new double[] {0, 1, -2, -1}, q("quantized_bits(2,1,alpha=1.0)").range().orElseThrow());
      assertTrue(q("quantized_bits(3,1,1)").range().isEmpty(), "symmetric");
      assertTrue(q("quantized_bits(3,1,keep_negative=False)").range().isEmpty(), "unsigned");
      assertTrue(q("quantized_bits(3,1,alpha=0.5)").range().isEmpty(), "scaled");
      assertTrue(q("quantized_bits(3,1,alpha='auto')").range().isEmpty(), "auto");
      assertEquals(1 << 24, q("quantized_bits(24,1)").range().orElseThrow().length);
      assertTrue(q("quantized_bits(25,1)").range().isEmpty(), "over 16 million values");
    }

    @Test
    void integerSpecDescribesCodesOfOneUnitStep() {
      IntegerSpec s = q("quantized_bits(8,3,0)").integerSpec().orElseThrow();
      assertEquals(new IntegerSpec(8, true, 1.0 / 16, 0, -128, 127), s);
      assertEquals(new IntegerSpec(8, true, 1.0 / 16, 0, -127, 127), q("quantized_bits(8,3,1)").integerSpec().orElseThrow());
      assertEquals(new IntegerSpec(6, false, 1.0 / 16, 0, 0, 63),
          q("quantized_bits(6,2,keep_negative=False)").integerSpec().orElseThrow());
      assertEquals(new IntegerSpec(4, true, 1.0 / 8, 0, -7, 7), q("quantized_bits(4,0,alpha='auto_po2')").integerSpec().orElseThrow());
      assertEquals(new IntegerSpec(32, true, 1.0, 0, -2147483647L, 2147483647L),
          q("quantized_bits(32,31,1,alpha='auto')").integerSpec().orElseThrow());
      assertTrue(q("quantized_bits(1,0)").integerSpec().isEmpty(), "±1 is not an affine 1-bit code");
    }

    @Test
    void scalarInputKeepsItsShape() {
      Engines.get();
      try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
        ai.djl.ndarray.NDArray y = q("quantized_bits(4,0,alpha='auto_po2')").apply(m.create(0.3f));
        assertEquals(new ai.djl.ndarray.types.Shape(), y.getShape());
      }
    }
  }

  @Nested
  class Gradients {
    private final float[] x = {-3f, -0.3f, 0.3f, 0.9f, 5f};

    @Test
    void gradientIsTheIdentityInsideAndAtClippingAsInQKeras() {
      // QKeras returns x + stop_gradient(q - x): no mask at the clip bounds.
      assertArrayEquals(floats(1, 1, 1, 1, 1), gradient(q("quantized_bits(4,0,1)"), x, true));
      assertArrayEquals(floats(1, 1, 1, 1, 1), gradient(q("quantized_bits(4,0,1,alpha='auto_po2')"), x, true));
      assertArrayEquals(floats(1, 1, 1, 1, 1), gradient(q("quantized_bits(4,0,1,use_stochastic_rounding=True)"), x, true));
    }

    @Test
    void withoutSteTheGradientIsOneMinusQnoise() {
      assertArrayEquals(floats(0.75, 0.75, 0.75, 0.75, 0.75), gradient(q("quantized_bits(4,0,1,qnoise_factor=0.25,use_ste=False)"), x, true));
      assertArrayEquals(floats(0, 0, 0, 0, 0), gradient(q("quantized_bits(4,0,1,use_ste=False)"), x, true));
    }

    @Test
    void gradientReachesAFloat64Input() {
      Engines.get();
      try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
        ai.djl.ndarray.NDArray in = m.create(new double[] {-3, 0.3});
        in.setRequiresGradient(true);
        try (ai.djl.training.GradientCollector gc = Engines.get().newGradientCollector()) {
          gc.backward(q("quantized_bits(4,0,1)").apply(in, true).mul(2.0).sum());
        }
        assertArrayEquals(new double[] {2, 2}, in.getGradient().toDoubleArray());
      }
    }
  }

  @Nested
  class Errors {
    @ParameterizedTest(name = "bits={0}")
    @ValueSource(ints = {0, 33, -1})
    void bitsOutsideOneToThirtyTwoAreRejectedNamingBits(int bits) {
      QuantizerSpecException e = assertThrows(QuantizerSpecException.class, () -> q("quantized_bits(" + bits + ",0,1)"));
      assertTrue(e.getMessage().contains("quantized_bits: argument 'bits' must be in 1..32, got " + bits), e.getMessage());
      assertTrue(e.getMessage().contains("character 16"), e.getMessage());
    }

    @Test
    void bitsFromAConfigAreCheckedToo() {
      QuantizerSpecException e = assertThrows(QuantizerSpecException.class,
          () -> Quantizers.fromConfig(Map.of("class_name", "quantized_bits", "config", Map.of("bits", 33))));
      assertTrue(e.getMessage().contains("argument 'bits' must be in 1..32, got 33"), e.getMessage());
    }

    @Test
    void unknownAlphaKeywordIsRejected() {
      QuantizerSpecException e = assertThrows(QuantizerSpecException.class, () -> q("quantized_bits(4,0,1,alpha='auto_p2')"));
      assertTrue(e.getMessage().contains("argument 'alpha' must be None, a number, a list of numbers or one of auto, auto_po2"),
          e.getMessage());
    }

    @Test
    void po2OnlyArgumentsNeedAutoPo2() {
      QuantizerSpecException e = assertThrows(QuantizerSpecException.class,
          () -> q("quantized_bits(4,0,1,alpha='auto',min_po2_exponent=-3)"));
      assertTrue(e.getMessage().contains("argument 'min_po2_exponent' is only supported with alpha='auto_po2'"), e.getMessage());
      e = assertThrows(QuantizerSpecException.class, () -> q("quantized_bits(4,0,1,alpha='auto_po2',elements_per_scale=2)"));
      assertTrue(e.getMessage().contains("argument 'elements_per_scale' needs scale_axis"), e.getMessage());
    }

    @Test
    void postTrainingScaleNeedsAStringAlpha() {
      QuantizerSpecException e = assertThrows(QuantizerSpecException.class,
          () -> q("quantized_bits(4,0,1,post_training_scale=[1.0])"));
      assertTrue(e.getMessage().contains("argument 'post_training_scale' is only supported with alpha='auto' or 'auto_po2'"),
          e.getMessage());
    }

    @Test
    void scaleAxisOutOfRangeNamesScaleAxis() {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> apply(q("quantized_bits(4,0,1,alpha='auto',scale_axis=3)"), new float[4], 2, 2));
      assertTrue(e.getMessage().contains("scale_axis 3 is out of range for an input of rank 2"), e.getMessage());
    }

    @Test
    void elementsPerScaleMustDivideTheAxis() {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> apply(q("quantized_bits(4,0,1,alpha='auto_po2',scale_axis=1,elements_per_scale=3)"), new float[4], 1, 4));
      assertEquals("quantized_bits: scaling axis 1 of dimension 4 has to be divisible by elements_per_scale 3",
          e.getMessage());
    }
  }
}

package org.qkeras4j.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.qkeras4j.quant.ActivationTesting.apply;
import static org.qkeras4j.quant.ActivationTesting.assertRejected;
import static org.qkeras4j.quant.ActivationTesting.assertRoundTrips;
import static org.qkeras4j.quant.ActivationTesting.assertValues;
import static org.qkeras4j.quant.ActivationTesting.gradient;
import static org.qkeras4j.quant.ActivationTesting.unfused;
import static org.qkeras4j.quant.ActivationTesting.withSigmoid;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qkeras4j.engine.Engines;

class QuantizedReluTest {
  private static NDManager manager;

  @BeforeAll
  static void start() {
    manager = ActivationTesting.manager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  private static Quantizer q(String spec) {
    return Quantizers.parse(spec);
  }

  @Nested
  class Serialization {
    @Test
    void bitsAloneprintsBitsAndIntegerAsQKerasDoes() {
      assertEquals("quantized_relu(3,0)", q("quantized_relu(3)").toString());
      assertEquals("quantized_relu(8,0)", q("quantized_relu").toString());
    }

    @Test
    void sigmoidAndSlopeAndStochasticFlagsPrintPositionally() {
      assertEquals("quantized_relu(6,2,1)", q("quantized_relu(6,2,use_sigmoid=1)").toString());
      assertEquals("quantized_relu(6,2,1,0.125)", q("quantized_relu(6,2,1,0.125)").toString());
      assertEquals("quantized_relu(8,0,1,0.25,1)", q("quantized_relu(8,0,1,0.25,True)").toString());
      assertEquals("quantized_relu(8,0,0,0.5,1)", q("quantized_relu(8,0,use_stochastic_rounding=True,negative_slope=0.5)").toString());
    }

    @Test
    void flagAfterASkippedOneTakesItsKeywordSoTheTextParsesBack() {
      // QKeras prints quantized_relu(6,2,0.125), which would read back as use_sigmoid=0.125.
      assertEquals("quantized_relu(6,2,negative_slope=0.125)", q("quantized_relu(6,2,negative_slope=0.125)").toString());
      // QKeras prints quantized_relu(8,0,0,1), which would read back as negative_slope=1.
      assertEquals("quantized_relu(8,0,0,use_stochastic_rounding=1)",
          q("quantized_relu(8,0,use_stochastic_rounding=True)").toString());
    }

    @Test
    void argumentsQKerasDoesNotPrintAppearAsKeywordsOnlyWhenNotDefault() {
      assertEquals("quantized_relu(4,1,relu_upper_bound=1.5,is_quantized_clip=False)",
          q("quantized_relu(4,1,relu_upper_bound=1.5,is_quantized_clip=False)").toString());
      assertEquals("quantized_relu(4,1,qnoise_factor=0.5,use_ste=False,use_variables=True,enable_fast_inference=True)",
          q("quantized_relu(4,1,qnoise_factor=0.5,use_ste=False,use_variables=True,enable_fast_inference=True)").toString());
      assertEquals("quantized_relu(4,1)", q("quantized_relu(4,1,is_quantized_clip=True,qnoise_factor=1,use_ste=1)").toString());
    }

    @Test
    void configHasQKerasKeysInQKerasOrder() {
      Map<String, Object> expected = new LinkedHashMap<>();
      expected.put("bits", 8);
      expected.put("integer", 0);
      expected.put("use_sigmoid", 0L);
      expected.put("negative_slope", 0.0);
      expected.put("use_stochastic_rounding", false);
      expected.put("relu_upper_bound", null);
      expected.put("qnoise_factor", 1.0);
      assertEquals(expected, q("quantized_relu").getConfig());
      assertEquals(List.copyOf(expected.keySet()), List.copyOf(q("quantized_relu(4,1,1,0.5)").getConfig().keySet()));
    }

    @Test
    void configAddsDroppedArgumentsOnlyWhenNotDefault() {
      Map<String, Object> config = q("quantized_relu(4,1,is_quantized_clip=False,var_name='act')").getConfig();
      assertEquals(false, config.get("is_quantized_clip"));
      assertEquals("act", config.get("var_name"));
      assertFalse(config.containsKey("use_ste"));
    }

    @Test
    void qkerasConfigBuildsTheQuantizer() {
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("bits", 4);
      config.put("integer", 2);
      config.put("use_sigmoid", 0);
      config.put("negative_slope", 0.0);
      config.put("use_stochastic_rounding", false);
      config.put("relu_upper_bound", null);
      config.put("qnoise_factor", 1.0);
      Quantizer fromConfig = Quantizers.fromConfig(Map.of("class_name", "quantized_relu", "config", config));
      assertEquals(q("quantized_relu(4,2)"), fromConfig);
      assertEquals("quantized_relu(4,2)", fromConfig.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "quantized_relu(3,0)",
        "quantized_relu(bits=6, integer=2, use_sigmoid=1, negative_slope=0.125)",
        "quantized_relu(6,2,negative_slope=0.25)",
        "quantized_relu(8,0,use_stochastic_rounding=True)",
        "quantized_relu(4,1,relu_upper_bound=1.5,is_quantized_clip=False,qnoise_factor=0.5)",
        "quantized_relu(bits=4, integer=1, use_sigmoid=False, negative_slope=0, use_stochastic_rounding=False, "
            + "relu_upper_bound=None, is_quantized_clip=False, use_variables=True, qnoise_factor=0.5)",
        "quantized_relu(16,-2,var_name='relu',use_ste=False,enable_fast_inference=True)",
        "quantized_relu(32,0,negative_slope=0.0009765625)"})
    void stringAndConfigRoundTripToAnEqualQuantizer(String spec) throws Exception {
      assertRoundTrips(q(spec));
    }

    @Test
    void javaClassNameIsAnAliasOfTheQKerasName() {
      Quantizer q = q("QuantizedRelu(4,1)");
      assertEquals("quantized_relu", q.name());
      assertEquals(new QuantizedRelu(4, 1), q);
      assertEquals(q("quantized_relu(4,1)"), q);
    }

    @Test
    void boolsReadAsNumbersAsPythonWould() throws Exception {
      Quantizer q = q("quantized_relu(4,1,qnoise_factor=True,relu_upper_bound=True,is_quantized_clip=False)");
      assertEquals(q("quantized_relu(4,1,qnoise_factor=1.0,relu_upper_bound=1,is_quantized_clip=False)"), q);
      assertRoundTrips(q);
    }

    @Test
    void quantizersDifferingInADroppedArgumentAreNotEqual() {
      assertNotEquals(q("quantized_relu(4,1)"), q("quantized_relu(4,1,is_quantized_clip=False)"));
    }
  }

  @Nested
  class Values {
    @Test
    void roundsHalfToEvenOnTheFixedPointGridAndClipsAtTheLargestCode() {
      // quantized_relu(4,1): step 2^(1-4) = 0.125, largest value 15 * 0.125 = 1.875.
      float[] x = {-1f, 0f, 0.3f, 0.0625f, 0.1875f, 1.9f, 5f};
      // 0.3/0.125 = 2.4 -> 2; 0.5 -> 0 and 1.5 -> 2 (half to even); 1.9 and 5 clip to 15.
      float[] expected = {0f, 0f, 0.25f, 0f, 0.25f, 1.875f, 1.875f};
      assertValues("quantized_relu(4,1)", x, expected, apply(manager, new QuantizedRelu(4, 1), x), 0);
    }

    @Test
    void negativeSlopeQuantizesNegativeInputsOnTheSameGrid() {
      // One bit is the sign: 3 magnitude bits, step 2^(1-3) = 0.25, clip at 1.75; below zero
      // 0.5 * x rounded to 0.25 steps, down to -0.5 * 2^1 = -1.
      Quantizer q = q("quantized_relu(4,1,0,0.5)");
      float[] x = {-5f, -1f, -0.3f, 0f, 0.6f, 3f};
      float[] expected = {-1f, -0.5f, -0.25f, 0f, 0.5f, 1.75f};
      assertValues(q.toString(), x, expected, apply(manager, q, x), 0);
      assertEquals(-1.0, q.min());
    }

    @Test
    void reluUpperBoundClipsQuantizedValuesWhenQuantizedClipIsOff() {
      Quantizer q = q("quantized_relu(4,1,relu_upper_bound=1.0,is_quantized_clip=False)");
      float[] x = {0.6f, 1.3f, 3f};
      // 0.6 -> 0.625 stays; 1.25 and 1.875 exceed the bound 1.0.
      assertValues(q.toString(), x, new float[] {0.625f, 1f, 1f}, apply(manager, q, x), 0);
    }

    @Test
    void quantizedClipTakesPrecedenceOverReluUpperBound() {
      Quantizer q = q("quantized_relu(4,1,relu_upper_bound=1.0)");
      float[] x = {1.3f, 3f};
      assertValues(q.toString(), x, new float[] {1.25f, 1.875f}, apply(manager, q, x), 0);
    }

    @Test
    void useSigmoidRoundsTheModuleSigmoidOfTheInput() {
      // m = 16: hard sigmoid 0.5x + 0.5 times 16, rounded r, output 2r/16 - 1 clipped to [0, 15/16].
      Quantizer q = q("quantized_relu(4,0,1)");
      float[] x = {-1f, 0.3f, 0.5f, 1f, 2f};
      float[] hard = {0f, 0.25f, 0.5f, 0.9375f, 0.9375f};
      assertValues(q + " hard", x, hard, withSigmoid(InternalSigmoid.HARD, () -> apply(manager, q, x)), 1e-7);
      // smooth sigmoid 0.1875x + 0.5: x = 1 gives r = 11 -> 0.375; x = 0.5 gives 9.5 -> 10 (even).
      float[] smooth = {0f, 0.125f, 0.25f, 0.375f, 0.75f};
      assertValues(q + " smooth", x, smooth, withSigmoid(InternalSigmoid.SMOOTH, () -> apply(manager, q, x)), 1e-7);
    }

    @Test
    void qnoiseFactorMixesTheClippedFloatReluAndTheQuantizedValue() {
      float[] x = {-0.5f, 0.6f, 3f};
      float[] floatPath = apply(manager, q("quantized_relu(4,1,qnoise_factor=0.0)"), x);
      assertValues("qnoise 0", x, new float[] {0f, 0.6f, 1.875f}, floatPath, 0);
      float[] half = apply(manager, q("quantized_relu(4,1,qnoise_factor=0.5)"), x);
      assertValues("qnoise 0.5", x, new float[] {0f, 0.6125f, 1.875f}, half, 0);
    }

    @Test
    void thirtyTwoBitsGiveTheGridValueWithoutNaN() {
      Quantizer q = new QuantizedRelu(32, 0);
      float[] x = {0.3f, 1.5f, -2f, 1e-12f};
      float[] out = apply(manager, q, x);
      // 0.3f lies on the 2^-32 grid; 1 - 2^-32 rounds to 1.0f; 1e-12 is below half a step.
      assertValues(q.toString(), x, new float[] {0.3f, 1f, 0f, 0f}, out, 0);
      double scale = Math.scalb(1.0, 32);
      double[] wide = apply(manager, q, 0.3, 1.5);
      assertEquals(Math.rint(0.3 * scale) / scale, wide[0]);
      assertEquals(1.0 - 1.0 / scale, wide[1]);
    }

    @Test
    void thirtyTwoBitsWithSigmoidAndSlopeStayFinite() {
      for (String spec : List.of("quantized_relu(32,0,1)", "quantized_relu(32,4,0,0.5)", "quantized_relu(31,0)")) {
        for (float v : apply(manager, q(spec), -3f, -0.1f, 0f, 0.7f, 40f)) {
          assertTrue(Float.isFinite(v), spec + " gave " + v);
        }
      }
    }

    @Test
    void fastInferenceGivesTheSameValuesAsTheFullComputation() {
      // The upstream check: quantized_relu(10, 2) with and without enable_fast_inference.
      float[] x = {-2.1f, 0.73f, 2.36f, 4.98f};
      assertArrayEquals(apply(manager, q("quantized_relu(10,2)"), x),
          apply(manager, q("quantized_relu(10,2,enable_fast_inference=True)"), x));
    }

    @Test
    void stochasticRoundingStaysOnTheGridIsReproducibleAndUnbiased() {
      Quantizer q = q("quantized_relu(4,1,use_stochastic_rounding=True)");
      float[] x = new float[4000];
      java.util.Arrays.fill(x, 0.3f);
      Engines.seed(7);
      float[] first = apply(manager, q, true, x);
      Engines.seed(7);
      assertArrayEquals(first, apply(manager, q, true, x));
      double sum = 0;
      for (float v : first) {
        assertTrue(v == 0.25f || v == 0.375f, "0.3 rounds to a neighbouring grid value, got " + v);
        sum += v;
      }
      assertEquals(0.3, sum / x.length, 0.01);
      // Inference never draws: round half to even.
      assertArrayEquals(new float[] {0.25f}, apply(manager, q, false, 0.3f));
    }

    @Test
    void minMaxAndRangeAreQKerasOnes() {
      assertEquals(0.0, q("quantized_relu(3,1)").min());
      assertEquals(2.0, q("quantized_relu(3,1)").max());
      assertEquals(1.0, q("quantized_relu(3,-1)").max());
      assertEquals(-0.25 * 4, q("quantized_relu(6,2,0,0.25)").min());
      assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75},
          q("quantized_relu(3,1)").range().orElseThrow());
      assertTrue(q("quantized_relu(3,1,1)").range().isEmpty(), "QKeras has no range() with use_sigmoid");
      assertTrue(q("quantized_relu(3,1,0,0.5)").range().isEmpty(), "QKeras has no range() with a negative slope");
      assertTrue(q("quantized_relu(32,0)").range().isEmpty(), "2^32 values are not listed");
      assertEquals(1 << 24, q("quantized_relu(24,0)").range().orElseThrow().length);
    }

    @Test
    void integerSpecIsUnsignedWithScaleTwoToIntegerMinusBits() {
      IntegerSpec spec = q("quantized_relu(4,1)").integerSpec().orElseThrow();
      assertEquals(new IntegerSpec(4, false, 0.125, 0, 0, 15), spec);
      assertEquals(13, spec.toInteger(1.625));
      IntegerSpec leaky = q("quantized_relu(4,1,0,0.5)").integerSpec().orElseThrow();
      assertEquals(new IntegerSpec(4, true, 0.25, 0, -4, 7), leaky);
      assertTrue(q("quantized_relu(4,1,relu_upper_bound=1.1,is_quantized_clip=False)").integerSpec().isEmpty());
    }

    @Test
    void everyOutputOfTheQuantizerHasAnIntegerCodeInTheSpec() {
      Quantizer q = q("quantized_relu(5,2,0,0.25)");
      IntegerSpec spec = q.integerSpec().orElseThrow();
      List<Float> inputs = new ArrayList<>();
      for (float v = -20f; v <= 20f; v += 0.037f) {
        inputs.add(v);
      }
      float[] x = new float[inputs.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = inputs.get(i);
      }
      for (float v : apply(manager, q, x)) {
        long code = spec.toInteger(v);
        assertTrue(code >= spec.minInt() && code <= spec.maxInt(), "code " + code + " of " + v);
        assertEquals(v, spec.toReal(code), 0, "value " + v + " lies on the grid");
      }
    }
  }

  @Nested
  class Gradients {
    @Test
    void gradientIsOneOnTheLinearPartAndZeroOutsideTheClip() {
      float[] x = {-1f, 0.3f, 1f, 5f};
      assertValues("quantized_relu(4,1)", x, new float[] {0f, 1f, 1f, 0f},
          gradient(manager, new QuantizedRelu(4, 1), true, x), 0);
    }

    @Test
    void gradientIsZeroAtZeroAndOneAtTheClipBoundAsTensorFlowTakesIt() {
      // quantized_relu(2,0) clips at 0.75: ReLU's derivative is 0 at 0, the cap passes x == 0.75.
      float[] x = {-0f, 0f, Float.MIN_VALUE, 0.75f, Math.nextUp(0.75f)};
      assertValues("quantized_relu(2,0)", x, new float[] {0f, 0f, 1f, 1f, 0f},
          gradient(manager, new QuantizedRelu(2, 0), true, x), 0);
    }

    @Test
    void infiniteAndNanInputsGetZeroGradientAndTheirQuantizedValues() {
      float[] x = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, 1e30f};
      Quantizer q = new QuantizedRelu(2, 0);
      assertValues("gradient", x, new float[] {0f, 0f, 0f, 0f}, unfused(() -> gradient(manager, q, true, x)), 0);
      float[] values = unfused(() -> apply(manager, q, true, x));
      assertEquals(0f, values[0]);
      assertEquals(0.75f, values[1]);
      assertTrue(Float.isNaN(values[2]));
      assertEquals(0.75f, values[3]);
    }

    @Test
    void fusedPathGivesTheSameForInfinitiesAndPassesTheGradientOfNan() {
      float[] x = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, 1e30f};
      Quantizer q = new QuantizedRelu(2, 0);
      assertValues("gradient", x, new float[] {0f, 0f, 1f, 0f}, gradient(manager, q, true, x), 0);
      float[] values = apply(manager, q, true, x);
      assertEquals(0f, values[0]);
      assertEquals(0.75f, values[1]);
      assertTrue(Float.isNaN(values[2]));
      assertEquals(0.75f, values[3]);
    }

    @Test
    void reluUpperBoundWithoutQuantizedClipBoundsTheGradient() {
      float[] x = {-1f, 0.5f, 1.5f, 2f, 2.5f};
      Quantizer q = q("quantized_relu(4,2,relu_upper_bound=2.0,is_quantized_clip=False)");
      assertValues(q.toString(), x, new float[] {0f, 1f, 1f, 1f, 0f}, gradient(manager, q, true, x), 0);
    }

    @Test
    void negativeSlopeIsTheGradientBelowZero() {
      float[] x = {-1f, -0.2f, 0.4f};
      assertValues("leaky", x, new float[] {0.5f, 0.5f, 1f}, gradient(manager, q("quantized_relu(4,1,0,0.5)"), true, x), 0);
    }

    @Test
    void withoutSteTheGradientIsScaledByOneMinusQnoise() {
      float[] x = {-1f, 0.3f, 1f};
      Quantizer q = q("quantized_relu(4,1,qnoise_factor=0.25,use_ste=False)");
      assertValues(q.toString(), x, new float[] {0f, 0.75f, 0.75f}, gradient(manager, q, true, x), 1e-7);
    }

    @Test
    void thirtyTwoBitGradientPassesThroughTheFloat64Computation() {
      float[] x = {-1f, 0.3f, 2f};
      assertValues("quantized_relu(32,0)", x, new float[] {0f, 1f, 0f}, gradient(manager, new QuantizedRelu(32, 0), true, x), 0);
    }
  }

  @Nested
  class Errors {
    @Test
    void bitsOutsideOneToThirtyTwoAreRejectedByName() {
      assertRejected("quantized_relu(0,0)", "quantized_relu", "'bits'", "1..32", "got 0");
      assertRejected("quantized_relu(bits=33)", "'bits'", "got 33");
      assertRejected("quantized_relu(4.5)", "'bits'", "integer");
      assertThrows(QuantizerSpecException.class, () -> new QuantizedRelu(0, 0));
    }

    @Test
    void negativeSlopeMustBeZeroOrAPowerOfTwo() {
      assertRejected("quantized_relu(4,0,0,0.3)", "'negative_slope'", "power of two", "0.3");
      assertRejected("quantized_relu(4,0,negative_slope=-0.5)", "'negative_slope'");
    }

    @Test
    void qnoiseFactorMustBeBetweenZeroAndOne() {
      assertRejected("quantized_relu(4,0,qnoise_factor=1.5)", "'qnoise_factor'", "1.5");
    }

    @Test
    void unknownKeywordsAreNamed() {
      assertRejected("quantized_relu(4,0,max_value=2)", "unknown keyword argument 'max_value'", "relu_upper_bound");
    }
  }
}

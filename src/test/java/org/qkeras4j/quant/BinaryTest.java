package org.qkeras4j.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.qkeras4j.quant.QuantizerTestSupport.apply;
import static org.qkeras4j.quant.QuantizerTestSupport.assertClose;
import static org.qkeras4j.quant.QuantizerTestSupport.assertRoundTrips;
import static org.qkeras4j.quant.QuantizerTestSupport.assertValues;
import static org.qkeras4j.quant.QuantizerTestSupport.gradient;

import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qkeras4j.engine.Engines;

class BinaryTest {
  private static final double EPS = 1e-6;

  @Nested
  class Serialization {
    @Test
    void defaultPrintsEmptyParenthesesAsInTheTutorial() {
      assertEquals("binary()", Quantizers.parse("binary").toString());
    }

    @Test
    void alphaPrintsAsWrittenWithStringsQuoted() {
      assertEquals("binary(alpha='auto_po2')", Quantizers.parse("binary(alpha=auto_po2)").toString());
      assertEquals("binary(alpha=5.0)", Quantizers.parse("binary(alpha=5.0)").toString());
      assertEquals("binary(alpha=1)", Quantizers.parse("binary(alpha=1)").toString());
      assertEquals("binary(use_01=1,alpha=2.0)", new Binary(true, Alpha.fixed(new double[] {2}), false).toString());
    }

    @Test
    void scalingArgumentsPrintInQKerasOrder() {
      assertEquals("binary(alpha='auto',elements_per_scale=[2,4],scale_axis=[2,3],min_po2_exponent=-3,"
              + "max_po2_exponent=2,use_stochastic_rounding=True)",
          Quantizers.parse("binary(alpha='auto', scale_axis=[2, 3], elements_per_scale=[2, 4], min_po2_exponent=-3,"
              + " max_po2_exponent=2, use_stochastic_rounding=True)").toString());
    }

    @Test
    void configHasQKerasKeysAndScalingArgumentsOnlyWhenSet() {
      assertEquals(List.of("use_01", "alpha", "use_stochastic_rounding"), List.copyOf(new Binary().getConfig().keySet()));
      assertEquals(List.of("use_01", "alpha", "use_stochastic_rounding", "scale_axis", "elements_per_scale"),
          List.copyOf(Quantizers.parse("binary(alpha='auto', scale_axis=1, elements_per_scale=2)").getConfig().keySet()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary", "binary(1)", "binary(alpha=5.0)", "binary(alpha=1)", "binary(alpha='auto')",
        "binary(alpha='auto_po2', min_po2_exponent=-4, max_po2_exponent=3)", "binary(alpha=[1.0, 2.0])", "binary(alpha=[1, 2])",
        "binary(alpha='auto', scale_axis=[2,3], elements_per_scale=[2,4])", "binary(alpha='auto', scale_axis=1)",
        "binary(use_stochastic_rounding=True)", "Binary(use_01=True)"})
    void stringAndConfigRoundTrip(String spec) {
      assertRoundTrips(Quantizers.parse(spec));
    }

    @Test
    void readsTheConfigQKerasSaves() throws Exception {
      String saved = "{\"class_name\": \"binary\", \"config\": {\"use_01\": false, \"alpha\": \"auto_po2\","
          + " \"use_stochastic_rounding\": false}}";
      assertEquals(Quantizers.parse("binary(alpha='auto_po2')"),
          Quantizers.fromConfig(org.qkeras4j.util.Json.MAPPER.readValue(saved, java.util.Map.class)));
    }

    @Test
    void integerSpecIsAOneBitSignOrZeroOneCode() {
      assertEquals(new IntegerSpec(1, true, 1.0, 0, -1, 1), new Binary().integerSpec().orElseThrow());
      assertEquals(new IntegerSpec(1, false, 1.0, 0, 0, 1),
          new Binary(true, Alpha.none(), false).integerSpec().orElseThrow());
    }
  }

  @Nested
  class Values {
    @Test
    void signWithZeroAsPlusOne() {
      assertValues(new float[] {-1, 1, 1, -1}, apply(new Binary(), -2f, 0f, 0.5f, -0.1f), "binary()");
      assertValues(new float[] {0, 1, 1, 0}, apply(new Binary(true, Alpha.none(), false), -2f, 0f, 0.5f, -0.1f),
          "binary(use_01=1)");
    }

    @Test
    void fixedPerChannelAlphaScalesEachChannel() {
      assertValues(new float[] {-1, 2, 1, -2}, apply(Quantizers.parse("binary(alpha=[1.0, 2.0])"), false,
          new Shape(2, 2), -1f, 1f, 1f, -1f), "alpha per channel");
    }

    @Test
    void autoScaleIsTheMeanMagnitudePerChannel() {
      Quantizer q = Quantizers.parse("binary(alpha='auto')");
      // channel 0: signs -1, +1, +1 (zero counts as +1): mean(x q) = 0.9 / 3; channel 1: 1.5 / 3
      float[] out = apply(q, false, new Shape(3, 2), -0.3f, 0.2f, 0.6f, -0.4f, 0f, 0.9f);
      assertClose(new float[] {-0.3f, 0.5f, 0.3f, -0.5f, 0.3f, 0.5f}, out, EPS, "auto");
      assertArrayEquals(new double[] {0.3, 0.5}, q.lastScale().orElseThrow(), EPS);
    }

    @Test
    void autoPo2ScaleIsTheNearestPowerOfTwo() {
      Quantizer q = Quantizers.parse("binary(alpha='auto_po2')");
      float[] out = apply(q, false, new Shape(3, 2), -0.3f, 0.2f, 0.6f, -0.4f, 0f, 0.9f);
      assertValues(new float[] {-0.25f, 0.5f, 0.25f, -0.5f, 0.25f, 0.5f}, out, "auto_po2");
      assertArrayEquals(new double[] {0.25, 0.5}, q.lastScale().orElseThrow());
    }

    @Test
    void autoScaleWithUse01FitsTheZeroOnePattern() {
      // channel 0: q = 0, 1, 1: mean(x q) = 0.6 / 3, mean(q q) = 2 / 3 -> 0.3; channel 1: 1.1 / 2 = 0.55
      float[] out = apply(Quantizers.parse("binary(use_01=True, alpha='auto')"), false, new Shape(3, 2),
          -0.3f, 0.2f, 0.6f, -0.4f, 0f, 0.9f);
      assertClose(new float[] {0, 0.55f, 0.3f, 0, 0.3f, 0.55f}, out, EPS, "use_01 auto");
    }

    @Test
    void scaleAxisKeepsOneScalePerEntryOfThatAxis() {
      Quantizer q = Quantizers.parse("binary(alpha='auto', scale_axis=0)");
      apply(q, false, new Shape(2, 3), 1f, -2f, 4f, 3f, 2f, -4f);
      assertArrayEquals(new double[] {7.0 / 3, 3.0}, q.lastScale().orElseThrow(), EPS);
    }

    @Test
    void elementsPerScaleGroupsEntriesOfTheScaleAxis() {
      Quantizer q = Quantizers.parse("binary(alpha='auto', scale_axis=1, elements_per_scale=2)");
      // shape (1, 4, 2): axis 1 entries {0, 1} share mean |x| = 2, entries {2, 3} share 1
      float[] out = apply(q, false, new Shape(1, 4, 2), 1f, -1f, 3f, -3f, 0.5f, 0.5f, -1.5f, 1.5f);
      assertClose(new float[] {2, -2, 2, -2, 1, 1, -1, 1}, out, EPS, "elements_per_scale");
      assertArrayEquals(new double[] {2, 2, 1, 1}, q.lastScale().orElseThrow(), EPS);
    }

    @Test
    void po2ExponentBoundsClipTheScale() {
      assertValues(new float[] {0.125f, -0.125f}, apply(Quantizers.parse("binary(alpha='auto_po2', min_po2_exponent=-3)"),
          false, new Shape(2, 1), 0.01f, -0.01f), "min_po2_exponent");
      assertValues(new float[] {2f, -2f}, apply(Quantizers.parse("binary(alpha='auto_po2', max_po2_exponent=1)"),
          false, new Shape(2, 1), 10f, -10f), "max_po2_exponent");
    }

    @Test
    void vectorGetsOneScalePerElementAsInQKeras() {
      Quantizer q = Quantizers.parse("binary(alpha='auto')");
      assertClose(new float[] {-0.5f, 0.25f}, apply(q, -0.5f, 0.25f), EPS, "vector");
      assertArrayEquals(new double[] {0.5, 0.25}, q.lastScale().orElseThrow(), EPS);
    }

    @Test
    void stochasticRoundingDrawsTheSignOfZerosInTrainingOnly() {
      Quantizer q = Quantizers.parse("binary(use_stochastic_rounding=True)");
      float[] x = new float[1000];
      x[0] = 0.5f;
      Engines.seed(3);
      float[] out = apply(q, true, new Shape(x.length), x);
      assertEquals(1f, out[0]);
      int positive = 0;
      for (float v : out) {
        assertTrue(v == 1f || v == -1f, "binary output " + v);
        positive += v == 1f ? 1 : 0;
      }
      assertTrue(Math.abs(positive / 1000.0 - 0.5) < 0.1, "fraction of +1 among zeros " + positive / 1000.0);
      for (float v : apply(q, false, new Shape(x.length), x)) {
        assertEquals(1f, v, "inference maps zeros to +1");
      }
    }

    @Test
    void rangeFollowsQKeras() {
      assertEquals(1.0, new Binary().max());
      assertEquals(-1.0, new Binary().min());
      assertEquals(5.0, Quantizers.parse("binary(alpha=5.0)").max());
      assertEquals(-5.0, Quantizers.parse("binary(alpha=5.0)").min());
      assertEquals(0.0, Quantizers.parse("binary(use_01=True, alpha=5.0)").min());
      assertEquals(1.0, Quantizers.parse("binary(alpha=0.5)").max(), "QKeras: max(1.0, alpha)");
      assertEquals(1.0, Quantizers.parse("binary(alpha='auto')").max());
    }
  }

  @Nested
  class Gradients {
    @Test
    void withoutAlphaGradientIsThatOfTanh() {
      float[] g = gradient(new Binary(), false, 0f, 0.5f, -2f);
      double t = Math.tanh(0.5);
      double t2 = Math.tanh(2);
      assertClose(new float[] {1f, (float) (1 - t * t), (float) (1 - t2 * t2)}, g, 1e-6, "d tanh");
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary(alpha='auto')", "binary(alpha=2.0)", "binary(alpha='auto_po2', use_01=True)"})
    void withAlphaGradientIsStraightThrough(String spec) {
      assertValues(new float[] {1, 1, 1, 1},
          gradient(Quantizers.parse(spec), false, new Shape(2, 2), 0.3f, -2f, 0f, 5f), spec);
    }

    @Test
    void stochasticRoundingInTrainingKeepsAStraightThroughGradient() {
      Engines.seed(5);
      float[] g = gradient(Quantizers.parse("binary(alpha='auto', use_stochastic_rounding=True)"), true,
          new Shape(4, 1), 0.1f, -0.2f, 0.3f, 0.05f);
      // the scaling factor f = 2 max|x| also carries gradient (QKeras differentiates it): only the
      // arg-max entry can differ from 1
      assertClose(new float[] {1, 1, g[2], 1}, g, 1e-6, "stochastic rounding");
    }
  }

  @Nested
  class Errors {
    @Test
    void elementsPerScaleWithoutScaleAxisFails() {
      QuantizerSpecException e = assertThrows(QuantizerSpecException.class,
          () -> Quantizers.parse("binary(alpha='auto', elements_per_scale=2)"));
      assertTrue(e.getMessage().contains("argument 'elements_per_scale' needs scale_axis to say which axes are grouped"),
          e.getMessage());
    }

    @Test
    void oneScaleAxisWithAListOfGroupSizesIsAmbiguous() {
      QuantizerSpecException e = assertThrows(QuantizerSpecException.class,
          () -> Quantizers.parse("binary(alpha='auto', scale_axis=1, elements_per_scale=[2, 4])"));
      assertTrue(e.getMessage().contains("argument 'elements_per_scale' is a list ([2,4]) but scale_axis is one axis (1), which is ambiguous"),
          e.getMessage());
    }

    @Test
    void listsOfDifferentLengthsFail() {
      QuantizerSpecException e = assertThrows(QuantizerSpecException.class,
          () -> Quantizers.parse("binary(alpha='auto', scale_axis=[1, 2], elements_per_scale=[2, 4, 8])"));
      assertTrue(e.getMessage().contains("argument 'elements_per_scale' has 3 entries but scale_axis has 2"), e.getMessage());
    }

    @Test
    void groupSizeThatDoesNotDivideTheAxisFailsOnApply() {
      Quantizer q = Quantizers.parse("binary(alpha='auto', scale_axis=1, elements_per_scale=3)");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> apply(q, false, new Shape(1, 4, 2), new float[8]));
      assertEquals("binary: scaling axis 1 of dimension 4 has to be divisible by elements_per_scale 3", e.getMessage());
    }

    @Test
    void scaleAxisBeyondTheInputRankFailsOnApply() {
      Quantizer q = Quantizers.parse("binary(alpha='auto', scale_axis=5)");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> apply(q, false, new Shape(2, 2), new float[4]));
      assertEquals("binary: scale_axis 5 is out of range for an input of rank 2", e.getMessage());
    }

    @Test
    void perChannelAlphaOfTheWrongLengthFailsOnApply() {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> apply(Quantizers.parse("binary(alpha=[1.0, 2.0, 3.0])"), false, new Shape(2, 2), new float[4]));
      assertEquals("binary: alpha has 3 values, one per channel, but the input's last axis has 2 channels"
          + " (input shape (2, 2))", e.getMessage());
    }

    @Test
    void unknownAlphaKeywordFails() {
      QuantizerSpecException e = assertThrows(QuantizerSpecException.class, () -> Quantizers.parse("binary(alpha='auto2')"));
      assertTrue(e.getMessage().contains("argument 'alpha' must be None, a number, a list of numbers or one of auto,"
          + " auto_po2, got 'auto2'"), e.getMessage());
    }

    @Test
    void exponentBoundsInTheWrongOrderFail() {
      QuantizerSpecException e = assertThrows(QuantizerSpecException.class,
          () -> Quantizers.parse("binary(alpha='auto_po2', min_po2_exponent=2, max_po2_exponent=1)"));
      assertTrue(e.getMessage().contains("argument 'min_po2_exponent' must not exceed max_po2_exponent 1, got 2"), e.getMessage());
    }
  }
}

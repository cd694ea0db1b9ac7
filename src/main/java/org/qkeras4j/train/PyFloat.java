package org.qkeras4j.train;

import java.math.BigDecimal;

/** Python's {@code repr} of a float, for text Keras users compare with (CSV logs, messages). */
public final class PyFloat {
  private PyFloat() {}

  /** A float32 value as numpy prints it ({@code 0.1}, {@code 1e-05}). */
  public static String repr(float f) {
    return format(Float.isFinite(f) ? new BigDecimal(Float.toString(f)) : null, f);
  }

  /** A double as Python's {@code repr} ({@code 0.43214562535285950}, {@code 1e-05}, {@code nan}). */
  public static String repr(double d) {
    return format(Double.isFinite(d) ? new BigDecimal(Double.toString(d)) : null, d);
  }

  private static String format(BigDecimal shortest, double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    BigDecimal v = shortest.stripTrailingZeros();
    String digits = v.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - v.scale();
    String sign = v.signum() < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 16) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
    String plain = v.abs().toPlainString();
    return sign + (plain.contains(".") ? plain : plain + ".0");
  }
}

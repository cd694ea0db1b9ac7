package org.qkeras4j.tools.qtools;

/**
 * Sizes a layer's output with the batch normalization that follows it folded in for hardware
 * (QKeras: {@code fused_bn_factory.FusedBNFactory}). Hardware computes {@code inv * x +
 * fused_bias}, with {@code x} the layer's kernel sum, {@code inv} the batch normalization's
 * multiplier {@code gamma / sqrt(variance + epsilon)} in the inverse quantizer's type, and {@code
 * fused_bias = inv * bias + beta - inv * mean}. Each product with {@code inv} is widened for an
 * {@code auto_po2} inverse quantizer's scale ({@link AutoPo2#adjust}).
 */
final class FusedBatchNorms {
  private FusedBatchNorms() {}

  /**
   * The final adder of the fused computation (its output is the layer's output type).
   *
   * @param kernelSum the type of the layer's kernel sum, before its bias
   * @param bias the layer's bias type, or null when it has none
   * @param beta the batch normalization's beta type (used when {@code center})
   * @param mean its moving-mean type
   * @param inverse its inverse quantizer's type; must not be floating point
   * @param center whether the batch normalization adds beta
   * @param inverseScale the auto_po2 scale of the inverse quantizer, or null
   */
  static Operation make(QType kernelSum, QType bias, QType beta, QType mean, QType inverse, boolean center,
      double[] inverseScale) {
    Operation timesX = times(inverse, kernelSum, inverseScale);
    Operation timesMean = times(inverse, mean, inverseScale);
    QType biasPart = timesMean.output();
    if (bias != null) {
      biasPart = Adders.add(times(inverse, bias, inverseScale).output(), timesMean.output()).output();
    }
    if (center) {
      biasPart = Adders.add(biasPart, beta).output();
    }
    return Adders.add(timesX.output(), biasPart);
  }

  private static Operation times(QType inverse, QType operand, double[] inverseScale) {
    Operation m = Multipliers.make(inverse, operand);
    return inverseScale == null ? m : AutoPo2.adjust(m, inverseScale);
  }
}

package org.qkeras4j.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.qkeras4j.engine.Scalars;

/**
 * Binary cross-entropy, averaged over the last axis. From probabilities exactly as Keras 2's
 * backend: {@code p} clipped to [1e-7, 1 - 1e-7], then
 * {@code -(t log(p + 1e-7) + (1 - t) log(1 - p + 1e-7))}; from logits, the stable
 * {@code max(z, 0) - z t + log(1 + exp(-|z|))}.
 */
public final class BinaryCrossentropy extends CrossentropyLoss {
  public BinaryCrossentropy() {
    this(false);
  }

  public BinaryCrossentropy(boolean fromLogits) {
    super("binary_crossentropy", fromLogits);
  }

  @Override
  public NDArray perSample(NDArray yTrue, NDArray yPred) {
    NDArray t = matchTargets(yTrue, yPred);
    NDArray values;
    if (fromLogits()) {
      values = Scalars.maximum(yPred, 0).sub(yPred.mul(t)).add(yPred.abs().neg().exp().add(1f).log());
    } else {
      NDArray p = yPred.clip(EPSILON, 1f - EPSILON);
      NDArray pos = t.mul(p.add(EPSILON).log());
      NDArray neg = t.neg().add(1f).mul(p.neg().add(1f + EPSILON).log());
      values = pos.add(neg).neg();
    }
    return values.mean(new int[] {-1});
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("label_smoothing", 0.0);
    c.put("axis", -1);
    return c;
  }
}

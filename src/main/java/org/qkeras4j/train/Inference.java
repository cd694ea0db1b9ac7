package org.qkeras4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.qkeras4j.data.Batching;
import org.qkeras4j.data.Dataset;
import org.qkeras4j.data.HostTensor;
import org.qkeras4j.layers.Weight;

/**
 * Keras's {@code predict} for any {@link TrainableModel}, compiled or not: the outputs in
 * inference mode, batch by batch, each batch in its own sub-manager and {@link NDScope}. The
 * {@link Trainer} uses the same loop (with a progress bar).
 */
public final class Inference {
  private Inference() {}

  /** The model's (first) output for every sample of {@code x}, silently. */
  public static HostTensor predict(TrainableModel model, HostTensor x, int batchSize) {
    return predict(model, List.of(x), batchSize);
  }

  /** The model's (first) output for every sample of {@code inputs} (one tensor per model input), silently. */
  public static HostTensor predict(TrainableModel model, List<HostTensor> inputs, int batchSize) {
    try (NDManager work = newWorkManager(model)) {
      return predict(model, inputs, batchSize, null, work);
    }
  }

  static HostTensor predict(TrainableModel model, List<HostTensor> inputs, int batchSize, Progbar bar,
      NDManager work) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch_size must be positive, got " + batchSize);
    }
    Dataset data = new Dataset(inputs, null);
    int n = data.size();
    int steps = Batching.batchCount(n, batchSize);
    int[] order = Batching.identity(n);
    float[] result = null;
    long[] outShape = null;
    int rowSize = 0;
    for (int step = 0; step < steps; step++) {
      int from = step * batchSize;
      Batch batch = Batch.of(data, order, from, Math.min(n, from + batchSize));
      HostTensor pred = step(model, batch, work);
      if (result == null) {
        rowSize = pred.rowSize();
        outShape = pred.shape();
        outShape[0] = n;
        result = new float[Math.multiplyExact(n, rowSize)];
      }
      System.arraycopy(pred.data(), 0, result, from * rowSize, pred.data().length);
      if (bar != null) {
        bar.update(step + 1, null, step + 1 == steps);
      }
    }
    if (result == null) {
      return new HostTensor(new float[0], 0);
    }
    return new HostTensor(result, outShape);
  }

  private static HostTensor step(TrainableModel model, Batch batch, NDManager work) {
    try (NDManager sm = work.newSubManager(); NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      return toHost(model.forward(batch.inputArrays(sm), false).head());
    }
  }

  static HostTensor toHost(NDArray a) {
    return new HostTensor(a.toType(DataType.FLOAT32, false).toFloatArray(), a.getShape().getShape());
  }

  /**
   * A manager for a model's per-step work: a sub-manager of the parameters' manager, so one count
   * of live arrays covers everything (a fresh base manager for a model without weights).
   */
  static NDManager newWorkManager(TrainableModel model) {
    List<Weight> ws = model.trainableWeights();
    NDManager m = ws.isEmpty() ? NDManager.newBaseManager() : ws.get(0).value().getManager().newSubManager();
    m.setName("work");
    return m;
  }
}

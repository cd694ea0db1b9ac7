package org.qkeras4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.nio.FloatBuffer;
import java.util.List;
import org.qkeras4j.data.Dataset;
import org.qkeras4j.data.HostTensor;

/**
 * The samples of one batch, copied to the heap in batch order: every input, the targets and the
 * sample weights gathered with the same row order, so they stay aligned whatever the shuffle.
 */
record Batch(List<HostTensor> inputs, HostTensor y, HostTensor sampleWeight) {
  static Batch of(Dataset d, int[] order, int from, int to) {
    return new Batch(d.inputs().stream().map(t -> gather(t, order, from, to)).toList(),
        d.y() == null ? null : gather(d.y(), order, from, to),
        d.sampleWeight() == null ? null : gather(d.sampleWeight(), order, from, to));
  }

  private static HostTensor gather(HostTensor t, int[] order, int from, int to) {
    float[] buf = new float[Math.multiplyExact(to - from, t.rowSize())];
    t.copyRows(order, from, to, buf);
    long[] shape = t.shape();
    shape[0] = to - from;
    return new HostTensor(buf, shape);
  }

  /** The inputs as arrays of {@code manager}, in input order. */
  NDList inputArrays(NDManager manager) {
    NDList list = new NDList(inputs.size());
    for (HostTensor t : inputs) {
      list.add(array(manager, t));
    }
    return list;
  }

  static NDArray array(NDManager manager, HostTensor t) {
    return manager.create(FloatBuffer.wrap(t.data()), t.djlShape());
  }

  int size() {
    return inputs.get(0).rows();
  }
}

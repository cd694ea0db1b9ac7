package org.qkeras4j.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Inputs, targets and sample weights of a set of samples: one input tensor {@code x} (first
 * dimension = samples), or several for a model with several inputs (Keras's {@code x} as a list,
 * in the model's input order); optional {@code y}, either integer class labels of shape
 * {@code [n]} / {@code [n, 1]} or one row of targets per sample ({@code [n, k]}, e.g. one-hot);
 * and optional per-sample loss weights (Keras's {@code sample_weight}, {@code [n]}). Every helper
 * that picks samples (slice, select, shuffle, split) keeps inputs, targets and weights together.
 * Immutable: every helper returns a new one.
 */
public final class Dataset {
  private final List<HostTensor> inputs;
  private final HostTensor y;
  private final HostTensor sampleWeight;

  /** Samples with targets; {@code y} may be null for inputs only (prediction). */
  public Dataset(HostTensor x, HostTensor y) {
    this(List.of(Objects.requireNonNull(x, "x")), y, null);
  }

  /**
   * Samples of a model with several inputs, one tensor per input in the model's input order
   * (each with the same number of samples), and targets (null for inputs only).
   */
  public Dataset(List<HostTensor> inputs, HostTensor y) {
    this(inputs, y, null);
  }

  private Dataset(List<HostTensor> inputs, HostTensor y, HostTensor sampleWeight) {
    Objects.requireNonNull(inputs, "inputs");
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("a dataset needs at least one input");
    }
    for (int i = 0; i < inputs.size(); i++) {
      HostTensor x = Objects.requireNonNull(inputs.get(i), "input #" + i);
      if (x.rank() == 0) {
        throw new IllegalArgumentException(inputName(i, inputs.size()) + " must have a sample dimension, got a scalar");
      }
      if (x.rows() != inputs.get(0).rows()) {
        throw new IllegalArgumentException("all inputs must have the same number of samples, got shapes "
            + inputs.stream().map(t -> Arrays.toString(t.shape())).toList());
      }
    }
    int n = inputs.get(0).rows();
    if (y != null && (y.rank() == 0 || y.rows() != n)) {
      throw new IllegalArgumentException("x has " + n + " samples but y has shape " + Arrays.toString(y.shape()));
    }
    if (sampleWeight != null && !(sampleWeight.rank() == 1 && sampleWeight.rows() == n)) {
      throw new IllegalArgumentException("x has " + n + " samples but sample_weight has shape "
          + Arrays.toString(sampleWeight.shape()) + "; it needs one weight per sample");
    }
    this.inputs = List.copyOf(inputs);
    this.y = y;
    this.sampleWeight = sampleWeight;
  }

  private static String inputName(int i, int count) {
    return count == 1 ? "x" : "input #" + i;
  }

  /** Inputs only. */
  public static Dataset of(HostTensor x) {
    return new Dataset(x, null);
  }

  /** The single input; fails for a dataset of several inputs (see {@link #inputs()}). */
  public HostTensor x() {
    if (inputs.size() != 1) {
      throw new IllegalStateException("this dataset has " + inputs.size() + " inputs; use inputs()");
    }
    return inputs.get(0);
  }

  /** Every input, in the model's input order. */
  public List<HostTensor> inputs() {
    return inputs;
  }

  /** Targets, or null if this dataset has none. */
  public HostTensor y() {
    return y;
  }

  public boolean hasTargets() {
    return y != null;
  }

  /** The per-sample loss weights ({@code [n]}), or null when every sample weighs 1. */
  public HostTensor sampleWeight() {
    return sampleWeight;
  }

  /**
   * Same samples with per-sample loss weights (Keras's {@code sample_weight}): shape {@code [n]}
   * or {@code [n, 1]}, finite and not negative.
   */
  public Dataset withSampleWeight(HostTensor weights) {
    Objects.requireNonNull(weights, "sample_weight");
    HostTensor w = weights.rank() == 2 && weights.shape()[1] == 1 ? weights.reshape(weights.rows()) : weights;
    float[] v = w.data();
    for (int i = 0; i < v.length; i++) {
      if (!(v[i] >= 0) || Float.isInfinite(v[i])) {
        throw new IllegalArgumentException("sample_weight[" + i + "] is " + v[i] + "; weights must be finite and >= 0");
      }
    }
    return new Dataset(inputs, y, w);
  }

  /** Same samples with per-sample loss weights, one per sample. */
  public Dataset withSampleWeight(float... weights) {
    return withSampleWeight(new HostTensor(weights, weights.length));
  }

  public int size() {
    return inputs.get(0).rows();
  }

  /** Samples {@code from} (inclusive) to {@code to} (exclusive). */
  public Dataset slice(int from, int to) {
    return new Dataset(inputs.stream().map(t -> t.slice(from, to)).toList(), y == null ? null : y.slice(from, to),
        sampleWeight == null ? null : sampleWeight.slice(from, to));
  }

  /** The samples at {@code indices}, in that order. */
  public Dataset select(int[] indices) {
    return new Dataset(inputs.stream().map(t -> t.select(indices)).toList(), y == null ? null : y.select(indices),
        sampleWeight == null ? null : sampleWeight.select(indices));
  }

  /** The first {@code n} samples (all of them if there are fewer). */
  public Dataset take(int n) {
    return slice(0, Math.min(n, size()));
  }

  /** A copy in a random order fixed by {@code seed}. */
  public Dataset shuffled(long seed) {
    return select(Batching.permutation(size(), new Random(seed)));
  }

  /**
   * Keras's {@code validation_split}: the LAST {@code fraction} of the samples (taken before any
   * shuffling) become the validation set. Returns {train, validation}.
   */
  public Dataset[] splitLast(double fraction) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("validation_split must be in (0, 1), got " + fraction);
    }
    int n = size();
    int splitAt = (int) Math.floor(n * (1.0 - fraction));
    if (splitAt == 0 || splitAt == n) {
      throw new IllegalArgumentException(
          "Training data contains " + n + " samples, which is not sufficient to split it into a validation"
              + " and training set as specified by `validation_split=" + fraction + "`. Either provide more"
              + " data, or a different value for the `validation_split` argument.");
    }
    return new Dataset[] {slice(0, splitAt), slice(splitAt, n)};
  }

  /** Same inputs, integer labels replaced by one-hot rows of {@code numClasses}. */
  public Dataset oneHot(int numClasses) {
    requireTargets("oneHot");
    return withY(Transforms.oneHot(y, numClasses));
  }

  /** Same targets, every input multiplied by {@code factor} (e.g. 1/255 for pixels). */
  public Dataset scaled(float factor) {
    return new Dataset(inputs.stream().map(t -> Transforms.scale(t, factor)).toList(), y, sampleWeight);
  }

  /** Same targets, inputs with another shape per sample (e.g. [28, 28] to [28, 28, 1]). */
  public Dataset reshapeX(long... sampleShape) {
    long[] s = new long[sampleShape.length + 1];
    s[0] = size();
    System.arraycopy(sampleShape, 0, s, 1, sampleShape.length);
    return withX(x().reshape(s));
  }

  /** Same targets and weights, another single input (as many samples). */
  public Dataset withX(HostTensor newX) {
    return new Dataset(List.of(newX), y, sampleWeight);
  }

  /** Same inputs and weights, other targets. */
  public Dataset withY(HostTensor newY) {
    return new Dataset(inputs, newY, sampleWeight);
  }

  private void requireTargets(String what) {
    if (y == null) {
      throw new IllegalStateException(what + " needs targets but this dataset has only inputs");
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Dataset(");
    for (int i = 0; i < inputs.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(inputs.size() == 1 ? "x" : "x" + i).append(Arrays.toString(inputs.get(i).shape()));
    }
    if (y != null) {
      sb.append(", y").append(Arrays.toString(y.shape()));
    }
    if (sampleWeight != null) {
      sb.append(", sample_weight[").append(sampleWeight.rows()).append(']');
    }
    return sb.append(')').toString();
  }
}

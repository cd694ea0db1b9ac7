package org.qkeras4j.layers.initializers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Keras's {@code Orthogonal(gain=1.0, seed=None)}, the default {@code recurrent_initializer} of the
 * recurrent layers: the weight, seen as a matrix of {@code prod(shape[:-1])} rows and
 * {@code shape[-1]} columns, gets orthonormal rows or columns (whichever are fewer) times
 * {@code gain}. As in Keras, it is the Q factor of a QR decomposition of a standard normal matrix
 * with the signs fixed so that R has a positive diagonal (which makes it uniform over the
 * orthogonal matrices).
 */
public final class Orthogonal implements Initializer {
  private final double gain;
  private final Long seed;

  public Orthogonal(double gain, Long seed) {
    if (!Double.isFinite(gain)) {
      throw new IllegalArgumentException("Orthogonal: gain must be finite, got " + gain);
    }
    this.gain = gain;
    this.seed = seed;
  }

  @Override
  public NDArray initialize(NDManager manager, Shape shape) {
    if (shape.dimension() < 2) {
      throw new IllegalArgumentException("Orthogonal: the shape must have at least 2 dimensions, got " + shape);
    }
    long cols = shape.get(shape.dimension() - 1);
    long rows = shape.size() / cols;
    int tall = (int) Math.max(rows, cols);
    int narrow = (int) Math.min(rows, cols);
    float[] draws;
    try (NDArray a = RandomDraws.normal(manager, new Shape(tall, narrow), 0, 1, seed)) {
      draws = a.toFloatArray();
    }
    double[][] q = orthonormalColumns(draws, tall, narrow);
    float[] out = new float[(int) shape.size()];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        // a wide matrix is the transpose of the tall one
        double v = rows >= cols ? q[c][r] : q[r][c];
        out[(int) (r * cols + c)] = (float) (gain * v);
      }
    }
    return manager.create(out, shape);
  }

  /**
   * The Q factor (as columns) of the {@code m x n} row-major matrix {@code a}, {@code m >= n}, by
   * modified Gram-Schmidt in double precision; its R has a positive diagonal by construction.
   */
  static double[][] orthonormalColumns(float[] a, int m, int n) {
    double[][] q = new double[n][m];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        q[j][i] = a[i * n + j];
      }
    }
    for (int j = 0; j < n; j++) {
      for (int k = 0; k < j; k++) {
        double dot = 0;
        for (int i = 0; i < m; i++) {
          dot += q[k][i] * q[j][i];
        }
        for (int i = 0; i < m; i++) {
          q[j][i] -= dot * q[k][i];
        }
      }
      double norm = 0;
      for (int i = 0; i < m; i++) {
        norm += q[j][i] * q[j][i];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < m; i++) {
        q[j][i] /= norm;
      }
    }
    return q;
  }

  @Override
  public String className() {
    return "Orthogonal";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("gain", gain);
    c.put("seed", seed);
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Orthogonal other && Double.compare(other.gain, gain) == 0 && Objects.equals(other.seed, seed);
  }

  @Override
  public int hashCode() {
    return Objects.hash(gain, seed);
  }

  @Override
  public String toString() {
    return "Orthogonal" + getConfig();
  }
}
